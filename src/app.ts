import type { Server } from 'node:http';
import { TranscriptLoggerMiddleware } from 'botbuilder';
import type { Express } from 'express';
import { Broadcast } from './broadcast/setup.js';
import { SubscriberStore } from './broadcast/subscribers.js';
import type { ChannelSender } from './channels/send.js';
import { WebOutboxSender } from './channels/web/sender.js';
import type { BotAdapter } from 'botbuilder';
import type { TurnLogic } from './channels/adapter.js';
import { defaultChannels } from './channels/registry.js';
import type { ChannelContext, ChannelModule } from './channels/module.js';
import type { ReceiptSink } from './channels/receipts.js';
import { WebChatAdapter } from './channels/web/adapter.js';
import { webChatRoutes } from './channels/web/routes.js';
import { builtinActions } from './conversation/actions/builtins.js';
import type { ActionRegistry } from './conversation/actions/registry.js';
import { TURN_ERROR_REPLY, UnionBot } from './conversation/bot.js';
import { FlowEngine } from './conversation/flows/engine.js';
import { FlowSet } from './conversation/flows/flow-set.js';
import { FlowReloadSync } from './conversation/flows/reload-sync.js';
import { DedupeMiddleware } from './conversation/middleware/dedupe.js';
import { InFlightTurns } from './conversation/middleware/in-flight.js';
import { RateLimitPerUser } from './conversation/middleware/rate-limit.js';
import { SerializeByUser } from './conversation/middleware/serialize.js';
import { RedisStorage } from './conversation/redis-storage.js';
import { SessionStore } from './conversation/session.js';
import { RedisTranscriptStore } from './conversation/transcript-store.js';
import type { TurnServices } from './conversation/turn-context.js';
import { Inbox } from './handoff/inbox.js';
import type { AdminConsole } from './admin/index.js';
import { createAdminConsole } from './admin/setup.js';
import { ConversationStats } from './reports/conversation-stats.js';
import { StatsMiddleware } from './reports/stats-middleware.js';
import { TicketStore } from './tickets/store.js';
import { ScamLibrary } from './scam/patterns.js';
import { EventReminders } from './events/reminders.js';
import { EventService } from './events/service.js';
import { EventStore } from './events/store.js';
import { SurveyStore } from './surveys/store.js';
import { HandoffStore } from './handoff/store.js';
import { parseOfficeHours } from './handoff/office-hours.js';
import type { KnowledgeService } from './knowledge/service.js';
import { createKnowledgeService } from './knowledge/setup.js';
import type { KnowledgeAnswerer } from './knowledge/types.js';
import { UnansweredLog } from './knowledge/unanswered.js';
import { PollStore } from './broadcast/polls.js';
import type { Config } from './platform/config.js';
import { createHttpApp, finishHttpApp, listen, portOf, stopAccepting } from './platform/http.js';
import { createLogger, type Logger } from './platform/logger.js';
import { Metrics } from './platform/metrics.js';
import { RedisFactory } from './platform/redis.js';
import { LockTimeoutError, RedisLock } from './platform/redis-lock.js';

export interface AppOptions {
  config: Config;
  logger?: Logger;
  /** Replaces the knowledge answerer (tests, or the full engine once built). */
  answerer?: KnowledgeAnswerer;
  now?: () => Date;
  /** Channels to run besides web chat; each returns undefined when its credentials are absent. */
  channels?: ChannelFactory[];
  /** Where platforms' delivery and read receipts go; by default the campaign delivery records. */
  receipts?: ReceiptSink;
  /**
   * What this process does: `all` (the default) serves the web and runs the broadcast workers; `web`
   * serves chat, webhooks and the API; `worker` only runs broadcast workers, so they can scale out across
   * machines sharing one Redis.
   */
  role?: ProcessRole;
}

export type ProcessRole = 'all' | 'web' | 'worker';

/** Channels whose session lives in one process only (a logged-in personal account): never in a worker. */
const SESSION_CHANNELS = new Set(['zalo-personal']);

/** Answers nothing: a worker process runs no conversations, so it loads no knowledge. */
const NO_KNOWLEDGE: KnowledgeAnswerer = {
  ready: true,
  ask: () => Promise.reject(new Error('a worker process does not answer questions')),
};

/** Builds a channel from the application's context, or returns undefined when it is not configured. */
export type ChannelFactory = (context: ChannelContext) => ChannelModule | undefined;

/**
 * The composition root: builds every part once, wires channels to the one bot through the shared turn
 * pipeline, and owns start-up and graceful shutdown.
 */
export class App {
  readonly http: Express;
  readonly web: WebChatAdapter;
  readonly inFlight: InFlightTurns;
  /** The one bot handler; channels pass it to their adapter's processActivity. */
  readonly botLogic: TurnLogic;
  /** The channels running besides web chat (Messenger, Zalo …), by name. */
  readonly channels = new Map<string, ChannelModule>();
  /** Subscribers, segments, campaigns, queues: what officers' tools and the workers use. */
  readonly broadcast: Broadcast;
  /** The officer inbox of handed-off conversations (the admin API calls it). */
  readonly inbox: Inbox;
  /** Events and classes: what officers do with them, and the reminders the day before. */
  readonly events: EventService;
  /** The admin API and console (web processes only). */
  readonly admin?: AdminConsole;
  /** Flows saved in the console reach every web process. */
  private readonly flowSync: FlowReloadSync;
  private server?: Server;
  private stopping?: Promise<void>;

  private constructor(
    readonly config: Config,
    readonly logger: Logger,
    readonly redis: RedisFactory,
    readonly metrics: Metrics,
    readonly actions: ActionRegistry,
    private flowSet: FlowSet,
    readonly services: TurnServices,
    readonly transcripts: RedisTranscriptStore,
    /** The knowledge service when this app owns one (absent when an answerer was passed in). */
    readonly knowledge: KnowledgeService | undefined,
    channelFactories: ChannelFactory[],
    receipts: ReceiptSink | undefined,
    readonly role: ProcessRole,
  ) {
    const client = redis.client();
    const storage = new RedisStorage(client, {
      keyPrefix: redis.keyPrefix,
      idleTtlSeconds: config.SESSION_IDLE_TTL_SECONDS,
    });
    const engine = new FlowEngine(() => this.flowSet, actions, { timeZone: config.APP_TIMEZONE, metrics });
    // Filled below as channels are built; the inbox and broadcasts look senders up when they send.
    const senders = new Map<string, ChannelSender>();
    this.events = new EventService(
      services.events,
      new EventReminders({
        redis,
        config,
        store: services.events,
        subscribers: services.subscribers,
        senders,
        logger,
        now: services.now,
      }),
      services.now,
    );
    this.inbox = new Inbox({
      handoffs: services.handoffs,
      transcripts,
      senders,
      subscribers: services.subscribers,
      publisher: client,
      createSubscriber: () => redis.create('inbox-events'),
      keyPrefix: redis.keyPrefix,
      now: services.now,
      logger,
    });
    const bot = new UnionBot(engine, new SessionStore(storage), services, this.inbox);
    const logic: TurnLogic = (ctx) => bot.onTurn(ctx);
    this.botLogic = logic;
    this.flowSync = new FlowReloadSync(redis, () => this.reloadFlows(), logger);

    this.inFlight = new InFlightTurns(metrics);
    this.web = this.withTurnPipeline(new WebChatAdapter(client, { keyPrefix: redis.keyPrefix }));

    this.http = createHttpApp({
      logger,
      metrics,
      trustProxy: config.TRUST_PROXY,
      readiness: {
        redis: () => redis.ping(),
        knowledge: () => services.answerer.ready,
        flows: () => this.flowSet.ids.length > 0,
      },
    });
    const broadcastParts = {
      config,
      redis,
      logger,
      subscribers: services.subscribers,
      polls: services.polls,
      senders,
      now: services.now,
    };
    this.broadcast = new Broadcast(broadcastParts);
    const defaultReceipts: ReceiptSink = async (receipt) => {
      logger.debug({ receipt }, 'receipt');
      await this.broadcast.runs.recordReceipt(receipt);
    };
    const context: ChannelContext = {
      config,
      logger,
      redis,
      metrics,
      subscribers: services.subscribers,
      logic,
      withTurnPipeline: (adapter) => this.withTurnPipeline(adapter),
      receipts: receipts ?? defaultReceipts,
    };
    const serving = role !== 'worker';
    for (const factory of channelFactories) {
      const channel = factory(context);
      if (!channel) continue;
      // A worker holds no platform session of its own: that stays with the web process.
      if (!serving && SESSION_CHANNELS.has(channel.name)) continue;
      this.channels.set(channel.name, channel);
      if (channel.sender) senders.set(channel.name, channel.sender);
      if (serving && channel.router) this.http.use(channel.router);
    }
    senders.set('web', new WebOutboxSender(this.web));
    if (serving && config.WEB_CHAT_ENABLED) {
      this.http.use(
        webChatRoutes(this.web, logic, {
          maxText: config.WEB_CHAT_MAX_TEXT,
          frameAncestors: config.WEB_CHAT_FRAME_ANCESTORS,
        }),
      );
    }
    if (serving) {
      this.admin = createAdminConsole({
        config,
        logger,
        redis,
        services,
        broadcast: this.broadcast,
        inbox: this.inbox,
        events: this.events,
        knowledge,
        actions,
        reloadFlows: async () => {
          await this.reloadFlows();
          await this.flowSync.announce();
        },
        channels: [...senders.keys()],
      });
      this.http.use(this.admin.router);
    }
    finishHttpApp(this.http, logger);
  }

  static async create(options: AppOptions): Promise<App> {
    const { config } = options;
    const role = options.role ?? 'all';
    const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL });
    const redis = new RedisFactory({ url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, logger });
    const metrics = new Metrics();
    const actions = builtinActions();
    const flowSet = await FlowSet.fromDirectory(config.paths.flows, actions);

    let answerer = options.answerer ?? (role === 'worker' ? NO_KNOWLEDGE : undefined);
    let knowledge: KnowledgeService | undefined;
    if (!answerer) {
      knowledge = createKnowledgeService(config, logger, redis);
      await knowledge.start();
      answerer = knowledge;
    }
    const client = redis.client();
    const now = options.now ?? (() => new Date());
    const services: TurnServices = {
      answerer,
      unanswered: new UnansweredLog(client, redis.keyPrefix),
      polls: new PollStore(client, redis.keyPrefix),
      subscribers: new SubscriberStore(client, redis.keyPrefix, now),
      handoffs: new HandoffStore(client, redis.keyPrefix, now),
      officeHours: parseOfficeHours(config.HANDOFF_OFFICE_HOURS, config.APP_TIMEZONE),
      tickets: new TicketStore(client, redis.keyPrefix, now),
      scams: new ScamLibrary(config.paths.knowledge),
      stats: new ConversationStats(client, redis.keyPrefix, config.APP_TIMEZONE),
      events: new EventStore(client, redis.keyPrefix, config.APP_TIMEZONE, now),
      surveys: new SurveyStore(client, redis.keyPrefix, now),
      knowledgeDir: config.paths.knowledge,
      now,
      logger,
    };
    const transcripts = new RedisTranscriptStore(client, {
      keyPrefix: redis.keyPrefix,
      maxActivities: config.TRANSCRIPT_MAX_ACTIVITIES,
      ttlSeconds: config.SESSION_IDLE_TTL_SECONDS,
    });
    return new App(
      config,
      logger,
      redis,
      metrics,
      actions,
      flowSet,
      services,
      transcripts,
      knowledge,
      options.channels ?? defaultChannels,
      options.receipts,
      role,
    );
  }

  get flows(): FlowSet {
    return this.flowSet;
  }

  /** Validates the flow files again and swaps them in; on error the running flows stay as they were. */
  async reloadFlows(): Promise<void> {
    this.flowSet = await FlowSet.fromDirectory(this.config.paths.flows, this.actions);
    this.logger.info({ flows: this.flowSet.ids }, 'flows reloaded');
  }

  /** The same turn pipeline for every channel: order matters (see each middleware's comment). */
  withTurnPipeline<A extends BotAdapter>(adapter: A): A {
    const client = this.redis.client();
    const prefix = this.redis.keyPrefix;
    adapter.use(
      this.inFlight,
      new DedupeMiddleware(client, {
        keyPrefix: prefix,
        ttlSeconds: this.config.DEDUPE_TTL_SECONDS,
        processingTtlMs: this.config.TURN_LOCK_TTL_MS * 2,
      }),
      new RateLimitPerUser(client, { keyPrefix: prefix, perMinute: this.config.RATE_LIMIT_PER_MINUTE }),
      new SerializeByUser(
        new RedisLock(client, { ttlMs: this.config.TURN_LOCK_TTL_MS, waitMs: this.config.TURN_LOCK_WAIT_MS }),
        prefix,
      ),
      new TranscriptLoggerMiddleware(this.transcripts),
      new StatsMiddleware(this.services.stats, this.services.now),
    );
    adapter.onTurnError = async (context, error) => {
      // A worker whose turn could not get its lock is told to retry by the channel (HTTP 503, webhook retry).
      if (error instanceof LockTimeoutError) throw error;
      this.logger.error({ err: error, channel: context.activity.channelId }, 'turn failed');
      await context.sendActivity(TURN_ERROR_REPLY);
    };
    return adapter;
  }

  async start(port = this.config.PORT, host = this.config.HOST): Promise<number> {
    for (const channel of this.channels.values()) await channel.start?.();
    // Workers deliver on every channel they hold a sender for; a web process only on the channels whose
    // session it alone holds (the personal Zalo account), and it runs no expansion.
    const channels = [...this.channels.keys(), 'web'];
    if (this.role === 'web') {
      const own = channels.filter((c) => SESSION_CHANNELS.has(c));
      if (own.length) this.broadcast.startWorkers(own, { control: false });
    } else {
      this.broadcast.startWorkers(channels, { control: true });
    }
    // Event reminders are sent by the same processes as campaigns.
    const own = channels.filter((c) => SESSION_CHANNELS.has(c));
    this.events.reminders.startWorkers(this.role === 'web' ? own : channels, {
      control: this.role !== 'web',
    });
    if (this.role !== 'worker') await this.flowSync.start();
    this.server = await listen(this.http, port, host);
    const actual = portOf(this.server);
    this.logger.info({ port: actual }, 'listening');
    return actual;
  }

  /**
   * Graceful shutdown: stop accepting requests, let turns in flight finish (up to SHUTDOWN_GRACE_MS),
   * then close Redis. Safe to call twice.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      // Listening channels (the Zalo personal account) stop first, so no new turn starts while we drain.
      for (const channel of this.channels.values()) {
        await channel.stop?.().catch((err: unknown) => this.logger.error({ err }, 'channel stop failed'));
      }
      const server = this.server;
      // Open event streams (console screens) would otherwise hold the server open until the grace ends.
      this.admin?.close();
      const closed = server ? stopAccepting(server) : Promise.resolve();
      const drained = await this.inFlight.drain(this.config.SHUTDOWN_GRACE_MS);
      if (!drained)
        this.logger.warn({ inFlight: this.inFlight.count }, 'shutdown grace period over; turns abandoned');
      if (server) {
        // Finished turns are still writing their responses: close each connection as it goes idle, and
        // only cut the stragglers after a short wait.
        const sweep = setInterval(() => server.closeIdleConnections(), 25);
        await Promise.race([closed, new Promise((r) => setTimeout(r, drained ? 2000 : 0))]);
        clearInterval(sweep);
        server.closeAllConnections();
      }
      await closed;
      await this.admin?.settle();
      await this.broadcast
        .close()
        .catch((err: unknown) => this.logger.error({ err }, 'broadcast stop failed'));
      await this.events
        .close()
        .catch((err: unknown) => this.logger.error({ err }, 'event reminders stop failed'));
      await this.flowSync.stop();
      await this.inbox.stop().catch((err: unknown) => this.logger.error({ err }, 'inbox stop failed'));
      await this.knowledge?.stop();
      await this.redis.closeAll();
      this.logger.info('stopped');
    })();
    return this.stopping;
  }
}
