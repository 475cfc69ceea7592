import type { Redis } from 'ioredis';
import type { Logger } from '../platform/logger.js';
import type { IndexManifest } from './index/store.js';
import type { KnowledgeService } from './service.js';

export interface RebuildState {
  status: 'idle' | 'running' | 'done' | 'failed';
  progress?: { stage: string; done: number; total: number };
  manifest?: Pick<IndexManifest, 'version' | 'chunks' | 'buildMs'>;
  error?: string;
  startedAt?: string;
  finishedAt?: string;
  by?: string;
}

export class RebuildUnavailableError extends Error {
  override name = 'RebuildUnavailableError';
}

/**
 * An index rebuild started from the console: runs in the background in this process, and keeps its state
 * in Redis so every web process (and every officer's screen) shows the same progress.
 */
export class RebuildJob {
  private running?: Promise<void>;

  constructor(
    private readonly knowledge: KnowledgeService | undefined,
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private get key(): string {
    return `${this.keyPrefix}knowledge:rebuild`;
  }

  async state(): Promise<RebuildState> {
    const raw = await this.redis.get(this.key);
    return raw ? (JSON.parse(raw) as RebuildState) : { status: 'idle' };
  }

  private async save(state: RebuildState): Promise<void> {
    await this.redis.set(this.key, JSON.stringify(state), 'EX', 7 * 24 * 3600);
  }

  /** Starts a rebuild unless one is running here; returns the state right after starting. */
  async start(by: string): Promise<RebuildState> {
    const knowledge = this.knowledge;
    if (!knowledge) throw new RebuildUnavailableError('Tiến trình này không giữ chỉ mục tri thức nên không xây lại được');
    if (this.running) return this.state();
    const base: RebuildState = { status: 'running', startedAt: this.now().toISOString(), by };
    await this.save(base);
    let lastWrite = 0;
    this.running = (async () => {
      try {
        const manifest = await knowledge.rebuild((stage, done, total) => {
          // Progress comes per batch: write it at most a few times a second.
          if (Date.now() - lastWrite < 200 && done < total) return;
          lastWrite = Date.now();
          void this.save({ ...base, progress: { stage, done, total } });
        });
        await this.save({
          ...base,
          status: 'done',
          finishedAt: this.now().toISOString(),
          manifest: { version: manifest.version, chunks: manifest.chunks, buildMs: manifest.buildMs },
        });
      } catch (err) {
        this.logger.error({ err }, 'knowledge rebuild failed');
        await this.save({ ...base, status: 'failed', finishedAt: this.now().toISOString(), error: (err as Error).message });
      } finally {
        this.running = undefined;
      }
    })();
    return base;
  }

  /** Waits for a rebuild this process runs (tests, shutdown). */
  async settled(): Promise<void> {
    await this.running;
  }
}
