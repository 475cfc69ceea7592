/**
 * `npm run bench:retrieval -- [--questions knowledge/eval/dev.jsonl] [--repeat 3] [--json]`
 *
 * Retrieval cost over the whole shipped corpus: index build time (from scratch, into a temporary folder),
 * load time, memory, and per-question latency (p50/p99) of `ask` (search, rerank, answer composition).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { createEmbeddings } from '../../src/knowledge/embeddings/index.js';
import { KnowledgeEngine } from '../../src/knowledge/engine.js';
import { IndexStore } from '../../src/knowledge/index/store.js';
import { loadConfig } from '../../src/platform/config.js';

const opts = new Command()
  .option('--questions <file>', 'JSONL questions', 'knowledge/eval/dev.jsonl')
  .option('--repeat <n>', 'passes over the questions', '3')
  .option('--json', 'print one JSON object')
  .parse()
  .opts<{ questions: string; repeat: string; json?: boolean }>();

const config = loadConfig();
const choice = createEmbeddings({
  provider: config.EMBEDDINGS_PROVIDER,
  model: config.EMBEDDINGS_MODEL,
  baseUrl: config.EMBEDDINGS_BASE_URL,
  apiKey: config.EMBEDDINGS_API_KEY,
});
const questions = (await readFile(opts.questions, 'utf8'))
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => (JSON.parse(l) as { question: string }).question);

const dir = await mkdtemp(path.join(os.tmpdir(), 'ua-bench-'));
const heapBefore = process.memoryUsage().heapUsed;
const store = new IndexStore(dir);
const buildStart = performance.now();
const { manifest } = await store.build(config.paths.knowledge, choice);
const buildMs = performance.now() - buildStart;
const loadStart = performance.now();
const { index } = await store.load(manifest.version, config.paths.knowledge, choice);
const loadMs = performance.now() - loadStart;
const engine = new KnowledgeEngine(index);
global.gc?.();
const memory = process.memoryUsage();

for (const q of questions.slice(0, 20)) await engine.ask(q); // warm-up
const times: number[] = [];
for (let r = 0; r < Number(opts.repeat); r++) {
  for (const q of questions) {
    const t = performance.now();
    await engine.ask(q);
    times.push(performance.now() - t);
  }
}
times.sort((a, b) => a - b);
const pct = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)]!;
const round = (x: number) => Math.round(x * 100) / 100;
const summary = {
  chunks: manifest.chunks,
  laws: manifest.laws,
  leaflets: manifest.leaflets,
  embedding: manifest.embeddingId,
  build_s: round(buildMs / 1000),
  load_ms: round(loadMs),
  questions: times.length,
  p50_ms: round(pct(50)),
  p90_ms: round(pct(90)),
  p99_ms: round(pct(99)),
  max_ms: round(times.at(-1)!),
  heap_mb: round((memory.heapUsed - heapBefore) / 2 ** 20),
  rss_mb: round(memory.rss / 2 ** 20),
};
if (opts.json) console.log(JSON.stringify(summary));
else console.table(summary);
await rm(dir, { recursive: true, force: true });
