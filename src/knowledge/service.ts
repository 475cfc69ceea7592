import path from 'node:path';
import type { Redis } from 'ioredis';
import type { Logger } from '../platform/logger.js';
import { RedisLock } from '../platform/redis-lock.js';
import type { EmbeddingsChoice } from './embeddings/types.js';
import { KnowledgeEngine, type KnowledgeEngineOptions } from './engine.js';
import { IndexStore, type BuildProgress, type IndexManifest } from './index/store.js';
import type { AnswerResult, ArticleView, AskOptions, KnowledgeAnswerer } from './types.js';

export interface KnowledgeServiceOptions {
  knowledgeDir: string;
  dataDir: string;
  embeddings: EmbeddingsChoice;
  engine?: KnowledgeEngineOptions;
  logger?: Logger;
  /** With Redis: one build at a time across processes, and every process follows a rebuild. */
  redis?: { client: Redis; subscriber: () => Redis; keyPrefix: string };
}

interface Announcement {
  version: string;
  corpusHash: string;
}

/**
 * Owns the live knowledge engine of a process: loads the stored index at start (building it when the
 * corpus changed), rebuilds on request, and swaps in versions other processes build, announced on Redis.
 */
export class KnowledgeService implements KnowledgeAnswerer {
  private engine?: KnowledgeEngine;
  private current?: IndexManifest;
  private readonly store: IndexStore;
  private subscriber?: Redis;

  constructor(private readonly options: KnowledgeServiceOptions) {
    this.store = new IndexStore(path.join(options.dataDir, 'index'));
  }

  get ready(): boolean {
    return this.engine !== undefined;
  }

  get manifest(): IndexManifest | undefined {
    return this.current;
  }

  get knowledgeEngine(): KnowledgeEngine | undefined {
    return this.engine;
  }

  private get channel(): string {
    return `${this.options.redis?.keyPrefix ?? ''}knowledge:index`;
  }

  private async withBuildLock<T>(fn: () => Promise<T>): Promise<T> {
    const redis = this.options.redis;
    if (!redis) return fn();
    const lock = new RedisLock(redis.client, { ttlMs: 60_000, waitMs: 10 * 60_000, retryMs: 50 });
    return lock.withLock(`${redis.keyPrefix}lock:knowledge-build`, fn);
  }

  async start(progress?: BuildProgress): Promise<void> {
    const { manifest, index, built } = await this.withBuildLock(() =>
      this.store.ensure(this.options.knowledgeDir, this.options.embeddings, progress),
    );
    this.install(manifest, index);
    this.options.logger?.info({ version: manifest.version, chunks: manifest.chunks, built, buildMs: built ? manifest.buildMs : undefined }, 'knowledge index ready');
    if (built) await this.announce(manifest);
    await this.subscribe();
  }

  /** Builds a new index from the corpus as it is now, makes it current here, and tells other processes. */
  async rebuild(progress?: BuildProgress): Promise<IndexManifest> {
    const { manifest, index } = await this.withBuildLock(() =>
      this.store.build(this.options.knowledgeDir, this.options.embeddings, progress),
    );
    this.install(manifest, index);
    await this.announce(manifest);
    await this.store.prune();
    return manifest;
  }

  private install(manifest: IndexManifest, index: KnowledgeEngine['index']): void {
    this.engine = new KnowledgeEngine(index, this.options.engine);
    this.current = manifest;
  }

  private async announce(manifest: IndexManifest): Promise<void> {
    const message: Announcement = { version: manifest.version, corpusHash: manifest.corpusHash };
    await this.options.redis?.client.publish(this.channel, JSON.stringify(message));
  }

  private async subscribe(): Promise<void> {
    const redis = this.options.redis;
    if (!redis || this.subscriber) return;
    this.subscriber = redis.subscriber();
    this.subscriber.on('message', (_channel: string, raw: string) => {
      void this.follow(raw).catch((err: unknown) => this.options.logger?.error({ err }, 'could not follow a knowledge index update'));
    });
    await this.subscriber.subscribe(this.channel);
  }

  /** Another process built a new version: load it from the shared data directory, or build it here. */
  private async follow(raw: string): Promise<void> {
    const { version } = JSON.parse(raw) as Announcement;
    if (version === this.current?.version) return;
    const stored = await this.store.manifest(version);
    const { manifest, index } = stored
      ? await this.store.load(version, this.options.knowledgeDir, this.options.embeddings)
      : await this.withBuildLock(() => this.store.ensure(this.options.knowledgeDir, this.options.embeddings));
    this.install(manifest, index);
    this.options.logger?.info({ version: manifest.version }, 'knowledge index swapped');
  }

  async stop(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
    this.subscriber = undefined;
  }

  private live(): KnowledgeEngine {
    if (!this.engine) throw new Error('knowledge index is not loaded yet');
    return this.engine;
  }

  ask(question: string, options?: AskOptions): Promise<AnswerResult> {
    return this.live().ask(question, options);
  }

  article(lawId: string, article: string): ArticleView | undefined {
    return this.engine?.article(lawId, article);
  }

  section(id: string): AnswerResult | undefined {
    return this.engine?.section(id);
  }
}
