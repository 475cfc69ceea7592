import { EventError, type EventInput, type EventPatch, type EventStore, type UnionEvent } from './store.js';
import type { EventReminders } from './reminders.js';

export interface AttendanceMark {
  subscriberId: string;
  attended: boolean;
}

/**
 * What officers do with events (the admin API) and what keeps reminders in step with it: creating,
 * moving, closing or cancelling an event schedules, replaces or removes its reminder.
 */
export class EventService {
  constructor(
    readonly store: EventStore,
    readonly reminders: EventReminders,
    private readonly now: () => Date,
  ) {}

  async create(input: EventInput, createdBy: string): Promise<UnionEvent> {
    return this.reschedule(await this.store.create(input, createdBy));
  }

  async update(id: string, patch: EventPatch): Promise<UnionEvent> {
    const before = await this.store.require(id);
    const after = await this.store.update(before.id, patch);
    if (after.startsAt === before.startsAt && after.status === before.status) return after;
    return this.reschedule(after);
  }

  /**
   * Cancels the event: no more registrations and no reminder, and everyone registered is told. Registrations
   * stay for the record.
   */
  async cancel(id: string): Promise<UnionEvent> {
    const event = await this.store.change((await this.store.require(id)).id, (e) => {
      if (e.status === 'cancelled') throw new EventError('conflict', 'Sự kiện này đã hủy rồi');
      e.status = 'cancelled';
      e.cancelledAt = this.now().toISOString();
    });
    await this.reminders.unschedule(event);
    await this.reminders.notifyCancelled(event);
    return this.store.change(event.id, (e) => delete e.reminder);
  }

  /**
   * Records who came (only people who registered can be marked) and how many came without registering.
   * Returns the subscriber ids that have no registration for this event.
   */
  async markAttendance(
    id: string,
    marks: AttendanceMark[],
    walkIns?: number,
  ): Promise<{ event: UnionEvent; marked: number; unknown: string[] }> {
    let event = await this.store.require(id);
    if (event.status === 'cancelled') throw new EventError('conflict', 'Sự kiện đã hủy, không ghi điểm danh');
    const at = this.now().toISOString();
    const unknown: string[] = [];
    let marked = 0;
    for (const mark of marks) {
      const ok = await this.store.patchRegistration(event.id, mark.subscriberId, {
        attended: mark.attended,
        attendanceMarkedAt: at,
      });
      if (ok) marked += 1;
      else unknown.push(mark.subscriberId);
    }
    if (walkIns !== undefined) event = await this.store.change(event.id, (e) => (e.walkIns = walkIns));
    return { event, marked, unknown };
  }

  async close(): Promise<void> {
    await this.reminders.close();
  }

  private async reschedule(event: UnionEvent): Promise<UnionEvent> {
    const reminder = await this.reminders.schedule(event);
    return this.store.change(event.id, (e) => {
      if (reminder) e.reminder = reminder;
      else delete e.reminder;
    });
  }
}
