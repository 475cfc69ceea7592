import { describe, expect, it } from 'vitest';
import {
  isSkip,
  matchChoice,
  parseVietnameseDate,
  parseVietnameseNumber,
  parseVietnamesePhone,
  validateInput,
} from '../../src/conversation/flows/inputs.js';

const TZ = 'Asia/Ho_Chi_Minh';
// 2026-03-10 23:30 in Hà Nội is still 16:30 UTC of the same day; 2026-03-10 00:30 local is the 9th in UTC.
const lateEvening = new Date('2026-03-10T16:30:00Z');
const justAfterMidnight = new Date('2026-03-09T17:30:00Z');

describe('numbers', () => {
  it.each([
    ['8', 8],
    ['1.500.000', 1_500_000],
    ['1,500,000', 1_500_000],
    ['1,5', 1.5],
    ['4,5 triệu', 4_500_000],
    ['5tr', 5_000_000],
    ['300k', 300_000],
    ['300 nghìn', 300_000],
    ['8 tiếng', 8],
    ['1.500.000 đồng', 1_500_000],
  ])('%s → %d', (text, value) => expect(parseVietnameseNumber(text)).toBe(value));

  it.each(['', 'tám', '8 tiếng 30 phút', '1.2.3', 'abc 5'])('rejects %s', (text) => {
    expect(parseVietnameseNumber(text)).toBeUndefined();
  });

  it('applies min, max and integer with a Vietnamese reason', () => {
    const spec = { type: 'number' as const, min: 1, max: 12, integer: true };
    expect(validateInput(spec, { text: '13' }, lateEvening, TZ)).toEqual({
      ok: false,
      reason: 'Số không được lớn hơn 12.',
    });
    expect(validateInput(spec, { text: '2,5' }, lateEvening, TZ)).toMatchObject({ ok: false });
    expect(validateInput(spec, { text: '6' }, lateEvening, TZ)).toEqual({ ok: true, value: 6 });
  });
});

describe('phones', () => {
  it.each([
    ['0912345678', '0912345678'],
    ['0912 345 678', '0912345678'],
    ['+84 912 345 678', '0912345678'],
    ['84912345678', '0912345678'],
    ['091.234.5678', '0912345678'],
    ['0283 1234 567', '02831234567'],
  ])('%s → %s', (text, value) => expect(parseVietnamesePhone(text)).toBe(value));

  it.each(['12345', '0112345678', '091234567', 'không có'])('rejects %s', (text) => {
    expect(parseVietnamesePhone(text)).toBeUndefined();
  });
});

describe('dates', () => {
  it('reads day/month/year in the forms workers type', () => {
    expect(parseVietnameseDate('15/8/2024', lateEvening, TZ)).toBe('2024-08-15');
    expect(parseVietnameseDate('15-08-24', lateEvening, TZ)).toBe('2024-08-15');
    expect(parseVietnameseDate('ngày 15 tháng 8 năm 2024', lateEvening, TZ)).toBe('2024-08-15');
    expect(parseVietnameseDate('2024-08-15', lateEvening, TZ)).toBe('2024-08-15');
    expect(parseVietnameseDate('15/8', lateEvening, TZ)).toBe('2026-08-15');
  });

  it('rejects impossible dates', () => {
    expect(parseVietnameseDate('31/2/2024', lateEvening, TZ)).toBeUndefined();
    expect(parseVietnameseDate('hôm kia nữa', lateEvening, TZ)).toBeUndefined();
  });

  it('counts "hôm nay" and "ngày mai" on the Vietnamese calendar, not UTC', () => {
    expect(parseVietnameseDate('hôm nay', lateEvening, TZ)).toBe('2026-03-10');
    expect(parseVietnameseDate('hom nay', justAfterMidnight, TZ)).toBe('2026-03-10');
    expect(parseVietnameseDate('ngày mai', justAfterMidnight, TZ)).toBe('2026-03-11');
  });

  it('enforces past_only and future_only', () => {
    expect(
      validateInput({ type: 'date', past_only: true }, { text: 'ngày mai' }, lateEvening, TZ),
    ).toMatchObject({ ok: false });
    expect(
      validateInput({ type: 'date', future_only: true }, { text: '1/1/2020' }, lateEvening, TZ),
    ).toMatchObject({ ok: false });
    expect(validateInput({ type: 'date', future_only: true }, { text: 'hôm nay' }, lateEvening, TZ)).toEqual({
      ok: true,
      value: '2026-03-10',
    });
  });
});

describe('choices', () => {
  const choices = [
    { title: 'Đồng ý nhận tin', value: 'yes', synonyms: ['có', 'ok', 'ừ'] },
    { title: 'Không, cảm ơn', value: 'no', synonyms: ['không', 'ko'] },
    { title: 'Bảo hiểm xã hội', value: 'bhxh' },
  ];
  it('matches by payload, number, title, synonym and unique prefix, with or without diacritics', () => {
    expect(matchChoice(choices, undefined, 'no')?.value).toBe('no');
    expect(matchChoice(choices, '1', undefined)?.value).toBe('yes');
    expect(matchChoice(choices, 'dong y nhan tin', undefined)?.value).toBe('yes');
    expect(matchChoice(choices, 'Ừ ạ', undefined)?.value).toBe('yes');
    expect(matchChoice(choices, 'ko', undefined)?.value).toBe('no');
    expect(matchChoice(choices, 'bao hiem', undefined)?.value).toBe('bhxh');
    expect(matchChoice(choices, '4', undefined)).toBeUndefined();
    expect(matchChoice(choices, 'có lẽ', undefined)).toBeUndefined();
  });

  it('knows the skip words', () => {
    expect(isSkip('Bỏ qua')).toBe(true);
    expect(isSkip('bo qua nhe')).toBe(true);
    expect(isSkip('không')).toBe(true);
    expect(isSkip('VSIP')).toBe(false);
  });
});

describe('free text', () => {
  it('checks length and pattern', () => {
    const spec = { type: 'text' as const, min_length: 5, max_length: 10 };
    expect(validateInput(spec, { text: 'ngắn' }, lateEvening, TZ)).toMatchObject({ ok: false });
    expect(validateInput(spec, { text: 'vừa đủ dài' }, lateEvening, TZ)).toEqual({
      ok: true,
      value: 'vừa đủ dài',
    });
    expect(
      validateInput({ type: 'text', pattern: '^[A-Z0-9]{6}$' }, { text: 'AB12CD' }, lateEvening, TZ),
    ).toMatchObject({ ok: true });
  });
});
