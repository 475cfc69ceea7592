import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/platform/config.js';
import { createLogger, maskSensitive } from '../../src/platform/logger.js';
import { describeNextOpening, isOpen, parseOfficeHours } from '../../src/handoff/office-hours.js';

describe('config', () => {
  it('has working defaults and resolves paths', () => {
    const c = parseConfig({}, '/srv/app');
    expect(c.PORT).toBe(3000);
    expect(c.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(c.redisUrlIsDefault).toBe(true);
    expect(c.paths.flows).toBe('/srv/app/flows');
    expect(c.MESSENGER_APP_SECRET).toBeUndefined();
  });

  it('treats empty values as unset and reports every problem at once', () => {
    expect(parseConfig({ REDIS_URL: '', MESSENGER_APP_SECRET: ' ' }).redisUrlIsDefault).toBe(true);
    try {
      parseConfig({ PORT: 'abc', REDIS_URL: 'not a url', HANDOFF_OFFICE_HOURS: '8h-17h' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const issues = (err as ConfigError).issues.join('\n');
      expect(issues).toContain('PORT');
      expect(issues).toContain('REDIS_URL');
      expect(issues).toContain('HANDOFF_OFFICE_HOURS');
    }
  });
});

describe('logger redaction', () => {
  it('masks phone numbers and tokens in messages and nested objects', () => {
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, cb) {
        out += chunk.toString();
        cb();
      },
    });
    const logger = createLogger({ level: 'info' }, sink);
    logger.info(
      {
        body: { text: 'gọi em số 0912 345 678 nhé', sender: '+84912345678' },
        accessToken: 'EAAB' + 'x'.repeat(40),
        headers: { authorization: 'Bearer abc.def.ghi' },
      },
      'tin nhắn từ 0987654321',
    );
    expect(out).not.toMatch(/0912 345 678|912345678|0987654321|EAAB|abc\.def/);
    expect(out).toContain('***678');
    expect(out).toContain('[redacted]');
  });

  it('leaves ordinary numbers alone', () => {
    expect(maskSensitive('Điều 113, 12 ngày, 1.500.000 đồng, năm 2019')).toBe(
      'Điều 113, 12 ngày, 1.500.000 đồng, năm 2019',
    );
  });
});

describe('office hours', () => {
  const hours = parseOfficeHours('1-5 07:30-17:00', 'Asia/Ho_Chi_Minh');
  it('knows when officers are at work, in Vietnamese time', () => {
    expect(isOpen(hours, new Date('2026-11-24T03:00:00Z'))).toBe(true); // Tuesday 10:00 local
    expect(isOpen(hours, new Date('2026-11-24T15:00:00Z'))).toBe(false); // Tuesday 22:00 local
    expect(isOpen(hours, new Date('2026-11-28T03:00:00Z'))).toBe(false); // Saturday
  });
  it('tells when they are back', () => {
    expect(describeNextOpening(hours, new Date('2026-11-24T15:00:00Z'))).toBe('7:30 ngày mai (thứ Tư)');
    expect(describeNextOpening(hours, new Date('2026-11-27T15:00:00Z'))).toBe('7:30 thứ Hai');
    expect(describeNextOpening(hours, new Date('2026-11-23T23:00:00Z'))).toBe('7:30 hôm nay');
  });
});
