/**
 * Office hours of the union officers, e.g. "1-5 07:30-17:00" (Monday = 1 … Sunday = 7) in the app's time
 * zone, so the bot can tell a worker honestly when a person will read their message.
 */
export interface OfficeHours {
  fromDay: number;
  toDay: number;
  openMinutes: number;
  closeMinutes: number;
  timeZone: string;
}

const WEEKDAY_NAMES = ['', 'thứ Hai', 'thứ Ba', 'thứ Tư', 'thứ Năm', 'thứ Sáu', 'thứ Bảy', 'Chủ nhật'];

export function parseOfficeHours(spec: string, timeZone: string): OfficeHours {
  const m = /^([1-7])-([1-7]) (\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(spec);
  if (!m) throw new Error(`office hours "${spec}" must look like "1-5 07:30-17:00"`);
  const [, d1, d2, h1, m1, h2, m2] = m.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return { fromDay: d1, toDay: d2, openMinutes: h1 * 60 + m1, closeMinutes: h2 * 60 + m2, timeZone };
}

/** Weekday (1 = Monday) and minutes since midnight of `date` in the office's time zone. */
export function localClock(date: Date, timeZone: string): { day: number; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const day = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday')) + 1;
  return { day, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

function isWorkDay(hours: OfficeHours, day: number): boolean {
  return hours.fromDay <= hours.toDay
    ? day >= hours.fromDay && day <= hours.toDay
    : day >= hours.fromDay || day <= hours.toDay;
}

export function isOpen(hours: OfficeHours, date: Date): boolean {
  const { day, minutes } = localClock(date, hours.timeZone);
  return isWorkDay(hours, day) && minutes >= hours.openMinutes && minutes < hours.closeMinutes;
}

function hhmm(minutes: number): string {
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}

/** "7:30 sáng mai (thứ Ba)" style description of the next opening, for a worker-facing message. */
export function describeNextOpening(hours: OfficeHours, date: Date): string {
  const { day, minutes } = localClock(date, hours.timeZone);
  if (isWorkDay(hours, day) && minutes < hours.openMinutes) return `${hhmm(hours.openMinutes)} hôm nay`;
  for (let ahead = 1; ahead <= 7; ahead++) {
    const d = ((day - 1 + ahead) % 7) + 1;
    if (isWorkDay(hours, d)) {
      const when = ahead === 1 ? `ngày mai (${WEEKDAY_NAMES[d]})` : WEEKDAY_NAMES[d];
      return `${hhmm(hours.openMinutes)} ${when}`;
    }
  }
  return hhmm(hours.openMinutes);
}

export function describeHours(hours: OfficeHours): string {
  return `${WEEKDAY_NAMES[hours.fromDay]} đến ${WEEKDAY_NAMES[hours.toDay]}, ${hhmm(hours.openMinutes)}–${hhmm(hours.closeMinutes)}`;
}
