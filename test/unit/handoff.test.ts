import { describe, expect, it } from 'vitest';
import { officerSendDecision, recipientOfRequest } from '../../src/handoff/reply-window.js';
import type { HandoffRequest } from '../../src/handoff/store.js';
import { isEndPhrase } from '../../src/handoff/texts.js';

const now = new Date('2026-11-24T12:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3600_000).toISOString();

describe('officer replies and messaging windows', () => {
  it('Messenger: a response within 24 hours, HUMAN_AGENT up to 7 days, nothing later', () => {
    expect(officerSendDecision('messenger', hoursAgo(23), now)).toEqual({
      send: true,
      purpose: { type: 'response' },
    });
    expect(officerSendDecision('messenger', hoursAgo(30), now)).toEqual({
      send: true,
      purpose: { type: 'tag', tag: 'HUMAN_AGENT' },
    });
    expect(officerSendDecision('messenger', hoursAgo(24 * 7 + 1), now)).toEqual({
      send: false,
      reason: 'outside_window',
    });
    expect(officerSendDecision('messenger', undefined, now)).toEqual({
      send: false,
      reason: 'never_interacted',
    });
  });

  it('Zalo OA: customer-service replies up to 7 days (no tags); web and personal Zalo always', () => {
    expect(officerSendDecision('zalo-oa', hoursAgo(100), now)).toEqual({
      send: true,
      purpose: { type: 'response' },
    });
    expect(officerSendDecision('zalo-oa', hoursAgo(24 * 8), now)).toMatchObject({ send: false });
    expect(officerSendDecision('web', undefined, now)).toMatchObject({ send: true });
    expect(officerSendDecision('zalo-personal', hoursAgo(24 * 30), now)).toMatchObject({ send: true });
  });

  it('replies go to the worker, or to the group the request came from', () => {
    const base = { id: 'X', status: 'assigned', channel: 'zalo-personal', createdAt: '' } as const;
    const direct: HandoffRequest = { ...base, userId: 'u1', conversationId: 'u1', reference: {} };
    expect(recipientOfRequest(direct)).toEqual({ userId: 'u1' });
    const group: HandoffRequest = {
      ...base,
      userId: 'u1',
      conversationId: 'g9',
      reference: { conversation: { id: 'g9', isGroup: true } },
    };
    expect(recipientOfRequest(group)).toEqual({ userId: 'u1', conversationId: 'g9', isGroup: true });
  });
});

describe('end phrases', () => {
  it('match the whole message, with or without diacritics and polite particles', () => {
    for (const text of ['kết thúc', 'Ket thuc', 'Kết thúc ạ!', 'gặp trợ lý', 'gap tro ly nhé'])
      expect(isEndPhrase(text), text).toBe(true);
    for (const text of ['chưa kết thúc hợp đồng thì sao', 'cảm ơn', 'trợ lý'])
      expect(isEndPhrase(text), text).toBe(false);
    expect(isEndPhrase('', 'END_HANDOFF')).toBe(true);
  });
});
