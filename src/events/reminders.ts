import { Queue, Worker, type Job } from 'bullmq';
import { deliveryJobId, type PipelineOptions } from '../broadcast/pipeline.js';
import { pipelineOptions } from '../broadcast/setup.js';
import { parseSubscriberId, type SubscriberStore } from '../broadcast/subscribers.js';
import { windowDecision } from '../broadcast/windows.js';
import { capabilitiesFor } from '../channels/capabilities.js';
import { renderMessages } from '../channels/render.js';
import { ChannelSendError, type ChannelSender } from '../channels/send.js';
import type { OutMessage } from '../conversation/messages.js';
import type { Config } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import type { RateGate } from '../platform/rate-gate.js';
import { ChannelGates } from '../broadcast/channel-gates.js';
import type { RedisFactory } from '../platform/redis.js';
import { eventCancelPayload } from './payloads.js';
import type { EventStore, UnionEvent } from './store.js';
import { dayBefore, describeLocal, localDay, reminderInstant } from './time.js';

/** One delayed `remind` job per event and day; when it runs it queues one `send` job per registrant. */
export const REMINDER_QUEUE = 'event-reminders';
export const reminderSendQueue = (channel: string) => `event-remind-${channel}`;
/** Messenger allows a reminder of an event the person registered for after the 24-hour window with this tag. */
export const REMINDER_MESSENGER_TAG = 'CONFIRMED_EVENT_UPDATE';

/** Deterministic: the same event on the same day is one job, so scheduling again replaces it. */
export function reminderJobId(eventId: string, startsAtLocal: string): string {
  return `remind-${eventId}-${localDay(startsAtLocal).replaceAll('-', '')}`;
}

/** A reminder the day before, or the news that the event was cancelled (sent at once). */
export type NoticeKind = 'reminder' | 'cancelled';

export interface RemindJob {
  kind?: NoticeKind;
  eventId: string;
  /** The event's local day when the job was scheduled: a job left behind by a moved event does nothing. */
  day: string;
  fireAt: string;
}

export interface ReminderSendJob {
  kind?: NoticeKind;
  eventId: string;
  day: string;
  subscriberId: string;
}

export interface ReminderDeps {
  redis: RedisFactory;
  config: Config;
  store: EventStore;
  subscribers: SubscriberStore;
  /** The application's senders, by channel (filled as channels are built). */
  senders: Map<string, ChannelSender>;
  logger: Logger;
  now: () => Date;
}

export function reminderMessage(event: UnionEvent): OutMessage {
  return {
    text:
      `Nhắc lịch: ngày mai, ${describeLocal(event.startsAt)}, bạn đã đăng ký tham gia "${event.title}" ` +
      `tại ${event.place}. Nếu không đến được, bạn bấm "Hủy đăng ký" để nhường chỗ cho người khác nhé.`,
    quickReplies: [
      { title: 'Hủy đăng ký', payload: eventCancelPayload(event.id) },
      { title: 'Menu', payload: 'MENU' },
    ],
  };
}

export function cancelledMessage(event: UnionEvent): OutMessage {
  return {
    text:
      `Thông báo: "${event.title}" (${describeLocal(event.startsAt)}, tại ${event.place}) đã bị hủy. ` +
      'Công đoàn xin lỗi vì sự thay đổi này; bạn gõ "sự kiện" để xem các lớp, sự kiện khác nhé.',
    quickReplies: [
      { title: 'Sự kiện khác', payload: 'EVENTS' },
      { title: 'Menu', payload: 'MENU' },
    ],
  };
}

/**
 * Reminders the day before an event, at EVENT_REMINDER_TIME local time. Any process schedules them (a
 * BullMQ delayed job with a deterministic id); worker processes send them, each registrant through their
 * channel's sender, within the platform's rate (the gate is shared with campaigns) and messaging window.
 */
export class EventReminders {
  private readonly options: PipelineOptions;
  private producer?: { queue: Queue; sendQueues: Map<string, Queue> };
  private gateSet?: ChannelGates;
  private readonly workers: Worker[] = [];

  constructor(private readonly deps: ReminderDeps) {
    this.options = pipelineOptions(deps.config, deps.redis.keyPrefix);
  }

  /** The queues, connected on first use (a process that never schedules or sends opens nothing). */
  private get queues(): { queue: Queue; sendQueues: Map<string, Queue> } {
    if (!this.producer) {
      const connection = this.deps.redis.create('event-reminders-producer', { maxRetriesPerRequest: null });
      this.producer = {
        queue: new Queue(REMINDER_QUEUE, { connection, prefix: this.options.prefix }),
        sendQueues: new Map(),
      };
    }
    return this.producer;
  }

  get queue(): Queue {
    return this.queues.queue;
  }

  /** When this event's reminder is due (the day before, at the configured local time). */
  fireAt(event: Pick<UnionEvent, 'startsAt'>): Date {
    return reminderInstant(
      event.startsAt,
      this.deps.config.EVENT_REMINDER_TIME,
      this.deps.config.APP_TIMEZONE,
    );
  }

  /** The same moment as a local date-time ("2026-12-11T18:00"), for telling the worker. */
  localFireTime(event: Pick<UnionEvent, 'startsAt'>): string {
    return `${dayBefore(localDay(event.startsAt))}T${this.deps.config.EVENT_REMINDER_TIME}`;
  }

  /**
   * (Re)schedules an event's reminder, replacing the one scheduled before. Returns undefined when there is
   * none: the event is cancelled, or the reminder time has already passed (an event created late).
   */
  async schedule(event: UnionEvent): Promise<UnionEvent['reminder']> {
    await this.unschedule(event);
    if (event.status === 'cancelled') return undefined;
    const fireAt = this.fireAt(event);
    const delay = fireAt.getTime() - this.deps.now().getTime();
    if (delay <= 0) return undefined;
    const jobId = reminderJobId(event.id, event.startsAt);
    await this.queue.remove(jobId);
    const data: RemindJob = {
      eventId: event.id,
      day: localDay(event.startsAt),
      fireAt: fireAt.toISOString(),
    };
    const fireAtLocal = this.localFireTime(event);
    await this.queue.add('remind', data, {
      jobId,
      delay,
      attempts: 5,
      backoff: { type: 'exponential', delay: this.options.backoffMs },
      removeOnComplete: true,
      removeOnFail: 100,
    });
    return { jobId, fireAt: data.fireAt, fireAtLocal };
  }

  async unschedule(event: UnionEvent): Promise<void> {
    // A job already running (its lock held) is not removed; it finds the event changed and does nothing.
    if (event.reminder) await this.queue.remove(event.reminder.jobId);
  }

  /** Tells everyone registered that the event is cancelled, now, through the same senders as reminders. */
  async notifyCancelled(event: UnionEvent): Promise<void> {
    const data: RemindJob = {
      kind: 'cancelled',
      eventId: event.id,
      day: localDay(event.startsAt),
      fireAt: this.deps.now().toISOString(),
    };
    // One notice per event, whatever happens to the request that cancelled it.
    await this.queue.add('cancelled', data, {
      jobId: `cancelled-${event.id}`,
      attempts: 5,
      backoff: { type: 'exponential', delay: this.options.backoffMs },
      removeOnComplete: true,
      removeOnFail: 100,
    });
  }

  async job(jobId: string): Promise<Job<RemindJob> | undefined> {
    return ((await this.queue.getJob(jobId)) as Job<RemindJob> | null) ?? undefined;
  }

  private sendQueue(channel: string): Queue {
    const { queue, sendQueues } = this.queues;
    let q = sendQueues.get(channel);
    if (!q) {
      q = new Queue(reminderSendQueue(channel), {
        connection: queue.opts.connection,
        prefix: this.options.prefix,
        defaultJobOptions: {
          attempts: this.options.attempts,
          backoff: { type: 'exponential', delay: this.options.backoffMs },
          removeOnComplete: true,
          removeOnFail: 1000,
        },
      });
      sendQueues.set(channel, q);
    }
    return q;
  }

  /** The fan-out worker (with `control`) and a send worker for each channel this process has a sender for. */
  startWorkers(channels: string[], options: { control: boolean }): void {
    const base = {
      prefix: this.options.prefix,
      lockDuration: this.options.lockMs,
      stalledInterval: this.options.lockMs,
    };
    const started: Worker[] = [];
    if (options.control) {
      started.push(
        new Worker(REMINDER_QUEUE, (job: Job<RemindJob>) => this.fanOut(job), {
          ...base,
          connection: this.deps.redis.create('event-reminders-control', { maxRetriesPerRequest: null }),
          concurrency: 2,
        }),
      );
    }
    for (const channel of channels.filter((c) => this.deps.senders.has(c))) {
      const rate = this.options.rates[channel];
      started.push(
        new Worker(reminderSendQueue(channel), (job: Job<ReminderSendJob>) => this.send(channel, job), {
          ...base,
          connection: this.deps.redis.create(`event-remind-${channel}`, { maxRetriesPerRequest: null }),
          concurrency: this.options.concurrency,
          limiter: rate ? { max: rate.max, duration: rate.durationMs } : undefined,
        }),
      );
    }
    for (const w of started) {
      w.on('error', (err) => this.deps.logger.error({ err, queue: w.name }, 'event reminder worker error'));
      w.on('failed', (job, err) =>
        this.deps.logger.warn({ err, queue: w.name, job: job?.id }, 'event reminder job failed'),
      );
    }
    this.workers.push(...started);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    if (this.producer) {
      const { queue, sendQueues } = this.producer;
      await Promise.all([queue.close(), ...[...sendQueues.values()].map((q) => q.close())]);
    }
  }

  /** The event still takes place on the day this job was for. */
  private async current(eventId: string, day: string): Promise<UnionEvent | undefined> {
    const event = await this.deps.store.get(eventId);
    if (!event || event.status === 'cancelled' || localDay(event.startsAt) !== day) return undefined;
    return event;
  }

  /** The event as a notice of `kind` needs it: still on that day for a reminder, cancelled for the news. */
  private async eventFor(kind: NoticeKind, eventId: string, day: string): Promise<UnionEvent | undefined> {
    if (kind === 'reminder') return this.current(eventId, day);
    const event = await this.deps.store.get(eventId);
    return event?.status === 'cancelled' ? event : undefined;
  }

  private async fanOut(job: Job<RemindJob>): Promise<void> {
    const { eventId, day } = job.data;
    const kind = job.data.kind ?? 'reminder';
    const event = await this.eventFor(kind, eventId, day);
    if (!event) {
      this.deps.logger.info({ eventId, day }, 'event reminder skipped: event cancelled or moved');
      return;
    }
    const byChannel = new Map<string, ReminderSendJob[]>();
    for (const subscriberId of await this.deps.store.activeRegistrants(eventId)) {
      const { channel } = parseSubscriberId(subscriberId);
      if (!(channel in this.options.rates)) {
        // The terminal or a Bot Framework conversation: nothing can be pushed there later.
        await this.deps.store.patchRegistration(
          eventId,
          subscriberId,
          kind === 'reminder'
            ? { reminderSkipped: 'channel_cannot_push' }
            : { cancelNoticeSkipped: 'channel_cannot_push' },
        );
        continue;
      }
      byChannel.set(channel, [...(byChannel.get(channel) ?? []), { kind, eventId, day, subscriberId }]);
    }
    for (const [channel, jobs] of byChannel) {
      // The send job's id is the reminder's and the subscriber's: a retried fan-out queues nobody twice.
      await this.sendQueue(channel).addBulk(
        jobs.map((data) => ({
          name: 'send',
          data,
          opts: { jobId: deliveryJobId(job.id!, data.subscriberId) },
        })),
      );
    }
    this.deps.logger.info(
      { eventId, registrants: [...byChannel.values()].flat().length },
      'event reminders queued',
    );
  }

  private gate(channel: string): RateGate | undefined {
    // The same gates as campaign deliveries: together they stay under the platform's limit.
    this.gateSet ??= new ChannelGates(this.deps.redis.client(), this.options.prefix, this.options.rates);
    return this.gateSet.for(channel);
  }

  private async send(channel: string, job: Job<ReminderSendJob>): Promise<void> {
    const { store, subscribers, now } = this.deps;
    const { eventId, day, subscriberId } = job.data;
    const kind = job.data.kind ?? 'reminder';
    const event = await this.eventFor(kind, eventId, day);
    if (!event || !(await store.isRegistered(eventId, subscriberId))) return;
    const registration = await store.registration(eventId, subscriberId);
    if (kind === 'reminder' ? registration?.remindedAt : registration?.cancelNoticeAt) return;
    const skip = async (reason: string) => {
      await store.patchRegistration(
        eventId,
        subscriberId,
        kind === 'reminder' ? { reminderSkipped: reason } : { cancelNoticeSkipped: reason },
      );
    };
    const subscriber = await subscribers.getById(subscriberId);
    // "hủy" means no more messages from us, a reminder included.
    if (subscriber?.consent?.status === 'opted_out') return skip('opted_out');
    if (subscriber && !subscriber.reachable) return skip('unreachable');
    const window = windowDecision(channel, subscriber?.lastInteractionAt, now(), {
      messengerTag: REMINDER_MESSENGER_TAG,
    });
    if (!window.send) return skip(window.reason);
    const sender = this.deps.senders.get(channel);
    if (!sender) throw new Error(`no sender for ${channel} in this process`);
    const { userId } = parseSubscriberId(subscriberId);
    const gate = this.gate(channel);
    try {
      await sender.send(
        { userId },
        renderMessages(
          [kind === 'reminder' ? reminderMessage(event) : cancelledMessage(event)],
          capabilitiesFor(channel),
        ),
        window.purpose,
        { singleAttempt: true, deliveryKey: job.id, beforeRequest: () => gate?.wait() ?? Promise.resolve() },
      );
    } catch (err) {
      if (!(err instanceof ChannelSendError)) throw err;
      // Retried by the queue — unless the platform may already have it: a reminder is not worth a double.
      const attemptsLeft = job.attemptsMade + 1 < (job.opts.attempts ?? 1);
      if (err.retryable && !err.details.maybeDelivered && attemptsLeft) throw err;
      if (err.kind === 'unreachable') await subscribers.markUnreachable(channel, userId, err.message);
      return skip(`send_failed:${err.kind}`);
    }
    const at = now().toISOString();
    await store.patchRegistration(
      eventId,
      subscriberId,
      kind === 'reminder' ? { remindedAt: at } : { cancelNoticeAt: at },
    );
  }
}
