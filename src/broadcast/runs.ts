import type { Redis } from 'ioredis';
import type { Receipt } from '../channels/receipts.js';
import { luaScript } from '../platform/redis.js';
import { subscriberId } from './subscribers.js';

/**
 * One sending of a campaign (a one-off campaign has one run; a recurring one, one per occurrence) and the
 * record of every delivery in it. A delivery moves (queued) → claimed → sending → sent | failed | skipped |
 * unknown. "claimed": a worker took it and is checking consent and windows; a worker that dies there left
 * nothing at the platform, so another takes over. "sending": the platform request is about to leave; a
 * worker that dies there may or may not have reached the platform, so the delivery is recorded "unknown"
 * and never sent again (see README, "What a crash can do").
 */
export type DeliveryStatus = 'claimed' | 'sending' | 'sent' | 'failed' | 'skipped' | 'unknown';
export type FinalStatus = Exclude<DeliveryStatus, 'claimed' | 'sending'>;

export interface DeliveryRecord {
  status: DeliveryStatus;
  reason?: string;
  messageId?: string;
  at: string;
  /** Which attempt holds a claimed or sending delivery. */
  token?: string;
}

export interface RunState {
  runId: string;
  campaignId: string;
  status: 'expanding' | 'sending' | 'completed' | 'cancelled';
  startedAt: string;
  completedAt?: string;
  /** Deliveries queued by the expansion (known once `expanded`). */
  targeted: number;
  expanded: boolean;
  processed: number;
  sent: number;
  failed: number;
  skipped: number;
  unknown: number;
  delivered: number;
  read: number;
}

/** Attributes a run's results are broken down by in reports. */
export const BREAKDOWN_ATTRIBUTES = ['khu_cong_nghiep', 'company'] as const;

// KEYS[1] deliveries hash; ARGV: subscriber id, now, token. Claims the delivery (or takes over a claim
// whose worker never started sending); otherwise returns the record an earlier attempt left.
const BEGIN = `
local prior = redis.call('HGET', KEYS[1], ARGV[1])
if prior and cjson.decode(prior).status ~= 'claimed' then return prior end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode({ status = 'claimed', at = ARGV[2], token = ARGV[3] }))
return 'go'
`;

// KEYS[1] deliveries hash; ARGV: subscriber id, now, token. claimed (by this token) → sending.
const SENDING = `
local prior = redis.call('HGET', KEYS[1], ARGV[1])
if not prior then return 0 end
local record = cjson.decode(prior)
if record.token ~= ARGV[3] then return 0 end
if record.status == 'sending' then return 1 end
if record.status ~= 'claimed' then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode({ status = 'sending', at = ARGV[2], token = ARGV[3] }))
return 1
`;

// KEYS: deliveries hash, run hash, reasons hash, breakdown hash.
// ARGV: subscriber id, record JSON, status, reason key ('' = none), breakdown fields…
// Records a final state once; counts it; completes the run when every queued delivery is processed.
const FINISH = `
local prior = redis.call('HGET', KEYS[1], ARGV[1])
if prior then
  local st = cjson.decode(prior).status
  if st ~= 'claimed' and st ~= 'sending' then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HINCRBY', KEYS[2], ARGV[3], 1)
if ARGV[4] ~= '' then redis.call('HINCRBY', KEYS[3], ARGV[4], 1) end
for i = 5, #ARGV do redis.call('HINCRBY', KEYS[4], ARGV[i], 1) end
local processed = redis.call('HINCRBY', KEYS[2], 'processed', 1)
local targeted = tonumber(redis.call('HGET', KEYS[2], 'targeted') or '-1')
local st = redis.call('HGET', KEYS[2], 'status')
if redis.call('HGET', KEYS[2], 'expanded') == '1' and processed >= targeted and (st == 'sending' or st == 'expanding') then
  redis.call('HSET', KEYS[2], 'status', 'completed')
  return 2
end
return 1
`;

// KEYS[1] run hash; ARGV: targeted. Ends the expansion; completes the run if every delivery is done already.
const EXPANDED = `
redis.call('HSET', KEYS[1], 'targeted', ARGV[1], 'expanded', '1')
if redis.call('HGET', KEYS[1], 'status') == 'expanding' then redis.call('HSET', KEYS[1], 'status', 'sending') end
local processed = tonumber(redis.call('HGET', KEYS[1], 'processed') or '0')
if processed >= tonumber(ARGV[1]) and redis.call('HGET', KEYS[1], 'status') == 'sending' then
  redis.call('HSET', KEYS[1], 'status', 'completed')
  return 2
end
return 1
`;

// KEYS[1] deliveries hash; ARGV: subscriber id, now, the dead attempt's token, the new token.
// sending (by the dead attempt) → claimed by the new one, once the platform said it has no such message.
const RECLAIM = `
local prior = redis.call('HGET', KEYS[1], ARGV[1])
if not prior then return 0 end
local record = cjson.decode(prior)
if record.status ~= 'sending' or record.token ~= ARGV[3] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode({ status = 'claimed', at = ARGV[2], token = ARGV[4] }))
return 1
`;

export class RunStore {
  private readonly beginScript: (...a: (string | number)[]) => Promise<unknown>;
  private readonly sendingScript: (...a: (string | number)[]) => Promise<unknown>;
  private readonly reclaimScript: (...a: (string | number)[]) => Promise<unknown>;
  private readonly finishScript: (...a: (string | number)[]) => Promise<unknown>;
  private readonly expandedScript: (...a: (string | number)[]) => Promise<unknown>;

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.beginScript = luaScript(redis, 'uaRunBegin', 1, BEGIN);
    this.sendingScript = luaScript(redis, 'uaRunSending', 1, SENDING);
    this.reclaimScript = luaScript(redis, 'uaRunReclaim', 1, RECLAIM);
    this.finishScript = luaScript(redis, 'uaRunFinish', 4, FINISH);
    this.expandedScript = luaScript(redis, 'uaRunExpanded', 1, EXPANDED);
  }

  key(runId: string, part?: string): string {
    return `${this.keyPrefix}run:${runId}${part ? `:${part}` : ''}`;
  }

  /** The set the expansion materialises the audience into (kept until the run is done). */
  audienceKey(runId: string): string {
    return this.key(runId, 'audience');
  }

  private recentKey(subscriber: string): string {
    return `${this.keyPrefix}sub:${subscriber}:recent-deliveries`;
  }

  async create(runId: string, campaignId: string): Promise<void> {
    await this.redis.hsetnx(this.key(runId), 'campaignId', campaignId);
    await this.redis.hsetnx(this.key(runId), 'status', 'expanding');
    await this.redis.hsetnx(this.key(runId), 'startedAt', this.now().toISOString());
  }

  async get(runId: string): Promise<RunState | undefined> {
    const h = await this.redis.hgetall(this.key(runId));
    if (!h.campaignId) return undefined;
    const n = (k: string) => Number(h[k] ?? 0);
    return {
      runId,
      campaignId: h.campaignId,
      status: (h.status as RunState['status']) ?? 'expanding',
      startedAt: h.startedAt ?? '',
      completedAt: h.completedAt || undefined,
      targeted: n('targeted'),
      expanded: h.expanded === '1',
      processed: n('processed'),
      sent: n('sent'),
      failed: n('failed'),
      skipped: n('skipped'),
      unknown: n('unknown'),
      delivered: n('delivered'),
      read: n('read'),
    };
  }

  async cancel(runId: string): Promise<void> {
    await this.redis.hset(this.key(runId), 'status', 'cancelled');
  }

  /** Claims a delivery for an attempt: 'go', or the record an earlier attempt left. */
  async begin(runId: string, subscriber: string, token = 'expansion'): Promise<'go' | DeliveryRecord> {
    const result = (await this.beginScript(
      this.key(runId, 'deliveries'),
      subscriber,
      this.now().toISOString(),
      token,
    )) as string;
    return result === 'go' ? 'go' : (JSON.parse(result) as DeliveryRecord);
  }

  /**
   * Marks a claimed delivery as leaving for the platform, just before the request; false when another
   * attempt took the claim over (this one must not send).
   */
  async markSending(runId: string, subscriber: string, token: string): Promise<boolean> {
    return (
      (await this.sendingScript(
        this.key(runId, 'deliveries'),
        subscriber,
        this.now().toISOString(),
        token,
      )) === 1
    );
  }

  /** Takes over a delivery a dead attempt left "sending", once the platform said the message is not there. */
  async reclaim(runId: string, subscriber: string, deadToken: string, token: string): Promise<boolean> {
    const at = this.now().toISOString();
    return (await this.reclaimScript(this.key(runId, 'deliveries'), subscriber, at, deadToken, token)) === 1;
  }

  /** Gives a delivery back (a transient failure: BullMQ will try again). */
  async release(runId: string, subscriber: string): Promise<void> {
    await this.redis.hdel(this.key(runId, 'deliveries'), subscriber);
  }

  /**
   * Records a final state (once), updates the counters and breakdowns, and returns true when this
   * delivery completed the run.
   */
  async finish(
    runId: string,
    subscriber: string,
    outcome: { status: FinalStatus; reason?: string; messageId?: string },
    attributes: Partial<Record<(typeof BREAKDOWN_ATTRIBUTES)[number], string>> = {},
  ): Promise<boolean> {
    const at = this.now().toISOString();
    const record: DeliveryRecord = { status: outcome.status, at };
    if (outcome.reason) record.reason = outcome.reason;
    if (outcome.messageId) record.messageId = outcome.messageId;
    const breakdown = BREAKDOWN_ATTRIBUTES.map((a) => `${a}\t${attributes[a] ?? ''}\t${outcome.status}`);
    const result = await this.finishScript(
      this.key(runId, 'deliveries'),
      this.key(runId),
      this.key(runId, 'reasons'),
      this.key(runId, 'breakdown'),
      subscriber,
      JSON.stringify(record),
      outcome.status,
      outcome.reason ? `${outcome.status}\t${outcome.reason}` : '',
      ...breakdown,
    );
    if (outcome.status === 'sent' && outcome.messageId !== undefined) {
      const entry = JSON.stringify({ run: runId, m: outcome.messageId, t: Date.parse(at) });
      await this.redis
        .multi()
        .lpush(this.recentKey(subscriber), entry)
        .ltrim(this.recentKey(subscriber), 0, 19)
        .expire(this.recentKey(subscriber), 30 * 24 * 3600)
        .exec();
    }
    if (result === 2) await this.redis.hset(this.key(runId), 'completedAt', at);
    return result === 2;
  }

  /** Ends the expansion with the number of deliveries queued; true when that completes the run. */
  async expanded(runId: string, targeted: number): Promise<boolean> {
    const result = await this.expandedScript(this.key(runId), targeted);
    if (result === 2) await this.redis.hset(this.key(runId), 'completedAt', this.now().toISOString());
    return result === 2;
  }

  async delivery(runId: string, subscriber: string): Promise<DeliveryRecord | undefined> {
    const raw = await this.redis.hget(this.key(runId, 'deliveries'), subscriber);
    return raw ? (JSON.parse(raw) as DeliveryRecord) : undefined;
  }

  /** Counts per "status\treason" of failed and skipped deliveries. */
  async reasons(runId: string): Promise<Record<string, number>> {
    const h = await this.redis.hgetall(this.key(runId, 'reasons'));
    return Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Number(v)]));
  }

  /** Counts per "attribute\tvalue\tstatus". */
  async breakdown(runId: string): Promise<Record<string, number>> {
    const h = await this.redis.hgetall(this.key(runId, 'breakdown'));
    return Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Number(v)]));
  }

  /** Every delivery record of a run, page by page (for CSV export). */
  async *deliveries(runId: string): AsyncGenerator<[string, DeliveryRecord]> {
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.hscan(this.key(runId, 'deliveries'), cursor, 'COUNT', 1000);
      cursor = next;
      for (let i = 0; i < flat.length; i += 2) yield [flat[i]!, JSON.parse(flat[i + 1]!) as DeliveryRecord];
    } while (cursor !== '0');
  }

  /**
   * A platform reports messages delivered or read: mark the recent campaign messages it covers (by id, or
   * everything sent before a watermark), each once.
   */
  async recordReceipt(receipt: Receipt): Promise<void> {
    const subscriber = subscriberId(receipt.channel, receipt.userId);
    const recent = await this.redis.lrange(this.recentKey(subscriber), 0, -1);
    for (const raw of recent) {
      const entry = JSON.parse(raw) as { run: string; m: string; t: number };
      const covered =
        receipt.messageIds?.includes(entry.m) ||
        (receipt.watermark !== undefined && entry.t <= receipt.watermark);
      if (!covered) continue;
      const first = await this.redis.hsetnx(
        this.key(entry.run, 'receipts'),
        `${subscriber}\t${receipt.kind}`,
        receipt.at,
      );
      if (first) await this.redis.hincrby(this.key(entry.run), receipt.kind, 1);
      // A read message was delivered too, even when the platform sent no delivery receipt.
      if (receipt.kind === 'read') {
        const delivered = await this.redis.hsetnx(
          this.key(entry.run, 'receipts'),
          `${subscriber}\tdelivered`,
          receipt.at,
        );
        if (delivered) await this.redis.hincrby(this.key(entry.run), 'delivered', 1);
      }
    }
  }
}
