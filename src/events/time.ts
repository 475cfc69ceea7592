import { zonedTimeToUtc } from '../platform/time.js';

/** A wall-clock date-time in the app's time zone, as officers type it: "2026-12-12T08:00". */
export const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

const WEEKDAYS = ['Chủ nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'];

function parts(local: string): [number, number, number, number, number] {
  const m = LOCAL_DATE_TIME.exec(local);
  if (!m) throw new Error(`"${local}" is not a local date-time like 2026-12-12T08:00`);
  return m.slice(1, 6).map(Number) as [number, number, number, number, number];
}

/** True for a real calendar date and time ("2026-02-30T08:00" and "2026-12-12T24:00" are not). */
export function isValidLocalDateTime(local: string): boolean {
  const m = LOCAL_DATE_TIME.exec(local);
  if (!m) return false;
  const [y, mo, d, h, mi] = parts(local);
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60;
}

/** "2026-12-12T08:00" → "2026-12-12". */
export function localDay(local: string): string {
  return local.slice(0, 10);
}

/** The calendar day before a local day: "2026-12-01" → "2026-11-30". */
export function dayBefore(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
}

/**
 * When an event's registrants are reminded: the day before the event at `time` ("18:00"), local time in
 * `timeZone` — an event on Saturday 12/12 at 08:00 is announced on Friday 11/12 at 18:00.
 */
export function reminderInstant(startsAtLocal: string, time: string, timeZone: string): Date {
  return zonedTimeToUtc(`${dayBefore(localDay(startsAtLocal))}T${time}`, timeZone);
}

/** "Thứ Bảy 12/12/2026 lúc 08:00" — how workers read an event's time. */
export function describeLocal(local: string): string {
  const [y, mo, d, h, mi] = parts(local);
  const weekday = WEEKDAYS[new Date(Date.UTC(y, mo - 1, d)).getUTCDay()]!;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${weekday} ${pad(d)}/${pad(mo)}/${y} lúc ${pad(h)}:${pad(mi)}`;
}

/** "12/12" — the short date of quick-reply labels. */
export function shortDate(local: string): string {
  const [, mo, d] = parts(local);
  return `${String(d).padStart(2, '0')}/${String(mo).padStart(2, '0')}`;
}
