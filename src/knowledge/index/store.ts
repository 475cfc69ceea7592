import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildChunks, type Chunk } from '../chunks.js';
import { lawName, loadCorpus } from '../corpus.js';
import { HashedNgramEmbeddings, type HashedEmbeddingsState } from '../embeddings/hashed.js';
import type { EmbeddingsChoice } from '../embeddings/types.js';
import { Analyzer } from '../text/analyzer.js';
import { lexiconSource, loadLexicon } from '../text/lexicon.js';
import type { ArticleView } from '../types.js';
import { KnowledgeIndex } from './knowledge-index.js';
import { LexicalIndex } from './lexical.js';
import { VectorIndex } from './vector.js';

/** Bump when chunking, analysis or ranking inputs change, so stored indexes are rebuilt. */
export const ENGINE_VERSION = 'ua-knowledge-4';

export interface IndexManifest {
  version: string;
  engine: string;
  corpusHash: string;
  embeddingId: string;
  dimensions: number;
  chunks: number;
  laws: number;
  leaflets: number;
  builtAt: string;
  buildMs: number;
}

export type BuildPhase = 'corpus' | 'embeddings' | 'index' | 'write';
export type BuildProgress = (phase: BuildPhase, done: number, total: number) => void;

const EMBED_BATCH = 128;

async function listCorpusFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const [sub, ext] of [['laws', '.json'], ['leaflets', '.md']] as const) {
    try {
      const entries = await readdir(path.join(dir, sub), { withFileTypes: true, recursive: true });
      out.push(...entries.filter((e) => e.isFile() && e.name.endsWith(ext)).map((e) => path.join(e.parentPath, e.name)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return out.sort();
}

/** What an index depends on: engine version, embeddings, every corpus file and the lexicon. */
export async function corpusFingerprint(knowledgeDir: string, embeddingId: string): Promise<string> {
  const hash = createHash('sha256').update(`${ENGINE_VERSION}\n${embeddingId}\n`);
  for (const file of await listCorpusFiles(knowledgeDir)) {
    hash.update(`${path.relative(knowledgeDir, file)}\n`).update(await readFile(file)).update('\n');
  }
  hash.update(await lexiconSource(path.join(knowledgeDir, 'lexicon')));
  return hash.digest('hex');
}

/** Text embedded for a chunk: its heading and body (leaflet questions carry most of the meaning). */
function embeddingText(c: Chunk): string {
  return `${c.title}\n${c.title}\n${(c.alternates ?? []).join('\n')}\n${c.text}\n${c.context ?? ''}`;
}

interface ChunkFile {
  chunks: Chunk[];
  articles: ArticleView[];
}

/**
 * Versioned indexes under DATA_DIR/index: each build goes to a fresh folder and becomes current by an
 * atomic rename of the CURRENT pointer, so readers never see half an index.
 */
export class IndexStore {
  constructor(private readonly root: string) {}

  private dir(version: string): string {
    return path.join(this.root, 'versions', version);
  }

  async currentVersion(): Promise<string | undefined> {
    try {
      return (await readFile(path.join(this.root, 'CURRENT'), 'utf8')).trim() || undefined;
    } catch {
      return undefined;
    }
  }

  async manifest(version: string): Promise<IndexManifest | undefined> {
    try {
      return JSON.parse(await readFile(path.join(this.dir(version), 'manifest.json'), 'utf8')) as IndexManifest;
    } catch {
      return undefined;
    }
  }

  /** Loads the current index when it matches the corpus and embeddings; builds a new one otherwise. */
  async ensure(
    knowledgeDir: string,
    choice: EmbeddingsChoice,
    progress?: BuildProgress,
  ): Promise<{ manifest: IndexManifest; index: KnowledgeIndex; built: boolean }> {
    const hash = await corpusFingerprint(knowledgeDir, choice.id);
    const current = await this.currentVersion();
    const manifest = current ? await this.manifest(current) : undefined;
    if (current && manifest?.corpusHash === hash && manifest.embeddingId === choice.id) {
      try {
        return { ...(await this.load(current, knowledgeDir, choice)), built: false };
      } catch {
        // A damaged or partial copy: rebuild below.
      }
    }
    return { ...(await this.build(knowledgeDir, choice, progress, hash)), built: true };
  }

  async build(
    knowledgeDir: string,
    choice: EmbeddingsChoice,
    progress?: BuildProgress,
    knownHash?: string,
  ): Promise<{ manifest: IndexManifest; index: KnowledgeIndex }> {
    const started = performance.now();
    const corpusHash = knownHash ?? (await corpusFingerprint(knowledgeDir, choice.id));
    progress?.('corpus', 0, 1);
    const [corpus, lexicon] = await Promise.all([loadCorpus(knowledgeDir), loadLexicon(path.join(knowledgeDir, 'lexicon'))]);
    const analyzer = new Analyzer(lexicon);
    const chunks = buildChunks(corpus);
    const articles: ArticleView[] = corpus.laws.flatMap((law) =>
      law.articles.map((a) => ({
        lawId: law.law_id,
        lawName: lawName(law),
        article: a.article,
        title: a.title,
        text: a.text,
        supersededBy: law.superseded_by,
      })),
    );
    progress?.('corpus', 1, 1);

    let embeddings = choice.embeddings;
    const texts = chunks.map(embeddingText);
    if (embeddings instanceof HashedNgramEmbeddings) {
      embeddings = new HashedNgramEmbeddings({ dimensions: embeddings.dimensions, isStop: (t) => analyzer.isStop(t) });
      (embeddings as HashedNgramEmbeddings).fit(texts);
    }
    const vectors: number[][] = [];
    for (let i = 0; i < texts.length; i += EMBED_BATCH) {
      vectors.push(...(await embeddings.embedDocuments(texts.slice(i, i + EMBED_BATCH))));
      progress?.('embeddings', Math.min(i + EMBED_BATCH, texts.length), texts.length);
    }
    const dimensions = vectors[0]?.length ?? (embeddings instanceof HashedNgramEmbeddings ? embeddings.dimensions : 1);
    progress?.('index', 0, 1);
    const lexical = LexicalIndex.build(chunks, analyzer);
    const vectorIndex = VectorIndex.build(vectors, dimensions);
    progress?.('index', 1, 1);

    progress?.('write', 0, 1);
    const version = `${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${corpusHash.slice(0, 8)}-${randomBytes(2).toString('hex')}`;
    const tmp = path.join(this.root, 'versions', `.tmp-${version}`);
    await mkdir(tmp, { recursive: true });
    const manifest: IndexManifest = {
      version,
      engine: ENGINE_VERSION,
      corpusHash,
      embeddingId: choice.id,
      dimensions,
      chunks: chunks.length,
      laws: corpus.laws.length,
      leaflets: corpus.leaflets.length,
      builtAt: new Date().toISOString(),
      buildMs: 0,
    };
    await writeFile(path.join(tmp, 'chunks.json'), JSON.stringify({ chunks, articles } satisfies ChunkFile));
    await writeFile(path.join(tmp, 'lexical.json'), lexical.toJSON());
    await vectorIndex.save(path.join(tmp, 'vectors.hnsw'));
    if (embeddings instanceof HashedNgramEmbeddings) {
      await writeFile(path.join(tmp, 'embeddings.json'), JSON.stringify(embeddings.state()));
    }
    manifest.buildMs = Math.round(performance.now() - started);
    await writeFile(path.join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2));
    await rename(tmp, this.dir(version));
    await this.makeCurrent(version);
    progress?.('write', 1, 1);

    const index = new KnowledgeIndex(chunks, new Map(articles.map((a) => [`${a.lawId}:${a.article}`, a])), lexical, vectorIndex, embeddings, analyzer);
    return { manifest, index };
  }

  async makeCurrent(version: string): Promise<void> {
    const tmp = path.join(this.root, `CURRENT.${randomBytes(4).toString('hex')}.tmp`);
    await writeFile(tmp, `${version}\n`);
    await rename(tmp, path.join(this.root, 'CURRENT'));
  }

  async load(version: string, knowledgeDir: string, choice: EmbeddingsChoice): Promise<{ manifest: IndexManifest; index: KnowledgeIndex }> {
    const dir = this.dir(version);
    const manifest = await this.manifest(version);
    if (!manifest) throw new Error(`index version ${version} has no manifest`);
    const analyzer = new Analyzer(await loadLexicon(path.join(knowledgeDir, 'lexicon')));
    const [chunkFile, lexicalJson] = await Promise.all([
      readFile(path.join(dir, 'chunks.json'), 'utf8').then((t) => JSON.parse(t) as ChunkFile),
      readFile(path.join(dir, 'lexical.json'), 'utf8'),
    ]);
    let embeddings = choice.embeddings;
    if (embeddings instanceof HashedNgramEmbeddings) {
      const state = JSON.parse(await readFile(path.join(dir, 'embeddings.json'), 'utf8')) as HashedEmbeddingsState;
      embeddings = new HashedNgramEmbeddings({ state, isStop: (t) => analyzer.isStop(t) });
    }
    const vectors = await VectorIndex.load(path.join(dir, 'vectors.hnsw'), manifest.dimensions, manifest.chunks);
    const index = new KnowledgeIndex(
      chunkFile.chunks,
      new Map(chunkFile.articles.map((a) => [`${a.lawId}:${a.article}`, a])),
      LexicalIndex.fromJSON(lexicalJson),
      vectors,
      embeddings,
      analyzer,
    );
    return { manifest, index };
  }

  /** Removes old versions, keeping the newest `keep` and the current one. */
  async prune(keep = 3): Promise<void> {
    const current = await this.currentVersion();
    let names: string[] = [];
    try {
      names = (await readdir(path.join(this.root, 'versions'))).filter((n) => !n.startsWith('.')).sort();
    } catch {
      return;
    }
    const old = names.slice(0, Math.max(0, names.length - keep)).filter((n) => n !== current);
    await Promise.all(old.map((n) => rm(this.dir(n), { recursive: true, force: true })));
  }
}
