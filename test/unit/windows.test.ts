import { describe, expect, it } from 'vitest';
import { windowDecision } from '../../src/broadcast/windows.js';

const now = new Date('2026-11-24T12:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3600_000).toISOString();

describe('messaging windows', () => {
  it('Messenger: an update within 24 hours, a tagged message after, nothing without a tag', () => {
    expect(windowDecision('messenger', hoursAgo(23.9), now)).toEqual({
      send: true,
      purpose: { type: 'update' },
    });
    expect(windowDecision('messenger', hoursAgo(24.1), now)).toEqual({
      send: false,
      reason: 'outside_24h_window',
    });
    expect(
      windowDecision('messenger', hoursAgo(100), now, { messengerTag: 'CONFIRMED_EVENT_UPDATE' }),
    ).toEqual({
      send: true,
      purpose: { type: 'tag', tag: 'CONFIRMED_EVENT_UPDATE' },
    });
    expect(windowDecision('messenger', undefined, now)).toEqual({ send: false, reason: 'never_interacted' });
  });

  it('Zalo OA: until 7 days after the last interaction, then skipped', () => {
    expect(windowDecision('zalo-oa', hoursAgo(47), now)).toMatchObject({ send: true });
    expect(windowDecision('zalo-oa', hoursAgo(6 * 24), now)).toMatchObject({ send: true });
    expect(windowDecision('zalo-oa', hoursAgo(7 * 24 + 1), now)).toEqual({
      send: false,
      reason: 'outside_7_day_window',
    });
    expect(windowDecision('zalo-oa', undefined, now)).toEqual({ send: false, reason: 'never_interacted' });
  });

  it('web chat and the personal Zalo account have no window', () => {
    expect(windowDecision('web', undefined, now)).toMatchObject({ send: true });
    expect(windowDecision('zalo-personal', hoursAgo(1000), now)).toMatchObject({ send: true });
  });
});
