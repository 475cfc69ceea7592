import { attributeKey } from '../broadcast/subscribers.js';
import { zonedTimeToUtc } from '../platform/time.js';
import { EVENT_KINDS, type EventKind, type EventStatus, type EventStore } from './store.js';

/** The figures of the report unions write every six months: events held, people registered and who came. */
export interface Figures {
  held: number;
  registrations: number;
  attended: number;
  walkIns: number;
  /** attended + walkIns. */
  participants: number;
}

export interface EventReportRow extends Omit<Figures, 'held'> {
  id: string;
  title: string;
  kind: EventKind;
  status: EventStatus;
  startsAt: string;
  khu_cong_nghiep?: string;
  /** Already took place (not cancelled, start time passed). */
  held: boolean;
  cancelledRegistrations: number;
}

export interface EventReport {
  from: string;
  to: string;
  totals: Figures & { cancelled: number; upcoming: number };
  byKind: Record<EventKind, Figures>;
  byZone: (Figures & { khu_cong_nghiep: string })[];
  events: EventReportRow[];
}

const NO_ZONE = 'Không ghi khu công nghiệp';

const empty = (): Figures => ({ held: 0, registrations: 0, attended: 0, walkIns: 0, participants: 0 });

function add(to: Figures, row: EventReportRow): void {
  to.held += 1;
  to.registrations += row.registrations;
  to.attended += row.attended;
  to.walkIns += row.walkIns;
  to.participants += row.participants;
}

function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/**
 * Events whose local start date lies in [from, to] (both "YYYY-MM-DD", inclusive): how many were held,
 * registrations (active at the time), attendance marked by officers plus people counted at the door, by
 * kind and by khu công nghiệp. Cancelled events and events still to come are counted apart.
 */
export async function eventReport(
  store: EventStore,
  period: { from: string; to: string },
  timeZone: string,
  now: Date,
): Promise<EventReport> {
  const start = zonedTimeToUtc(`${period.from}T00:00`, timeZone);
  const end = zonedTimeToUtc(`${nextDay(period.to)}T00:00`, timeZone);
  const events = await store.between(start, end, 100_000);
  const rows: EventReportRow[] = [];
  for (const e of events) {
    const registrations = await store.registrations(e.id);
    const active = registrations.filter((r) => !r.cancelledAt);
    const attended = registrations.filter((r) => r.attended === true).length;
    const walkIns = e.walkIns ?? 0;
    rows.push({
      id: e.id,
      title: e.title,
      kind: e.kind,
      status: e.status,
      startsAt: e.startsAt,
      khu_cong_nghiep: e.khu_cong_nghiep,
      held: e.status !== 'cancelled' && Date.parse(e.startsAtUtc) <= now.getTime(),
      registrations: active.length,
      cancelledRegistrations: registrations.length - active.length,
      attended,
      walkIns,
      participants: attended + walkIns,
    });
  }
  const held = rows.filter((r) => r.held);
  const totals = {
    ...empty(),
    cancelled: rows.filter((r) => r.status === 'cancelled').length,
    upcoming: rows.filter((r) => r.status !== 'cancelled' && !r.held).length,
  };
  const byKind = Object.fromEntries(EVENT_KINDS.map((k) => [k, empty()])) as Record<EventKind, Figures>;
  const zones = new Map<string, Figures & { khu_cong_nghiep: string }>();
  for (const row of held) {
    add(totals, row);
    add(byKind[row.kind], row);
    // "KCN An Nghiệp" and "An Nghiệp" are one zone, as in segments.
    const key = row.khu_cong_nghiep ? attributeKey(row.khu_cong_nghiep, 'khu_cong_nghiep') : '';
    let zone = zones.get(key);
    if (!zone) zones.set(key, (zone = { khu_cong_nghiep: row.khu_cong_nghiep ?? NO_ZONE, ...empty() }));
    add(zone, row);
  }
  return {
    from: period.from,
    to: period.to,
    totals,
    byKind,
    byZone: [...zones.values()].sort(
      (a, b) => b.held - a.held || a.khu_cong_nghiep.localeCompare(b.khu_cong_nghiep),
    ),
    events: rows,
  };
}
