import { Embeddings } from '@langchain/core/embeddings';
import { fold } from '../normalize.js';
import { tokenize } from '../text/analyzer.js';

/**
 * Offline embeddings with no model to download: folded syllables, syllable pairs and character trigrams
 * are hashed into a fixed-size vector (the "hashing trick"), weighted by sublinear term frequency and by an
 * inverse document frequency learnt from the corpus at index build time, then L2-normalised. Character
 * trigrams make typos ("nghi phepp", "luongg") land near the right words; the lexical index does the rest.
 */

const FEATURE_WEIGHT = { unigram: 1, bigram: 1, trigram: 0.35 } as const;

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export interface HashedEmbeddingsState {
  dimensions: number;
  /** Inverse document frequency per dimension, base64 of a Float32Array; absent before fitting. */
  idf?: string;
}

export class HashedNgramEmbeddings extends Embeddings {
  static readonly VERSION = 'hashed-ngram-v1';
  readonly dimensions: number;
  private idf?: Float32Array;

  constructor(options: { dimensions?: number; isStop?: (token: string) => boolean; state?: HashedEmbeddingsState } = {}) {
    super({});
    this.dimensions = options.state?.dimensions ?? options.dimensions ?? 1024;
    this.isStop = options.isStop ?? (() => false);
    if (options.state?.idf) {
      const bytes = Buffer.from(options.state.idf, 'base64');
      this.idf = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    }
  }

  private readonly isStop: (token: string) => boolean;

  get id(): string {
    return `${HashedNgramEmbeddings.VERSION}:${this.dimensions}`;
  }

  /** Weighted features of a text: hashed bucket → weight before IDF. */
  private features(text: string): Map<number, number> {
    const words = tokenize(text)
      .filter((t) => !this.isStop(t))
      .map(fold);
    const counts = new Map<string, [number, number]>();
    const add = (feature: string, weight: number) => {
      const c = counts.get(feature);
      if (c) c[0] += 1;
      else counts.set(feature, [1, weight]);
    };
    words.forEach((w, i) => {
      add(`u:${w}`, FEATURE_WEIGHT.unigram);
      if (i + 1 < words.length) add(`b:${w}_${words[i + 1]}`, FEATURE_WEIGHT.bigram);
      const padded = `^${w}$`;
      for (let j = 0; j + 3 <= padded.length; j++) add(`c:${padded.slice(j, j + 3)}`, FEATURE_WEIGHT.trigram);
    });
    const buckets = new Map<number, number>();
    for (const [feature, [count, weight]] of counts) {
      const h = fnv1a(feature);
      const bucket = h % this.dimensions;
      const sign = h & 0x80000000 ? -1 : 1;
      buckets.set(bucket, (buckets.get(bucket) ?? 0) + sign * weight * (1 + Math.log(count)));
    }
    return buckets;
  }

  /** Learns per-dimension inverse document frequencies from the corpus (call before embedding it). */
  fit(texts: string[]): void {
    const df = new Float32Array(this.dimensions);
    for (const t of texts) for (const bucket of this.features(t).keys()) df[bucket]! += 1;
    const n = texts.length;
    this.idf = df.map((d) => Math.log((n + 1) / (d + 1)) + 1);
  }

  state(): HashedEmbeddingsState {
    return {
      dimensions: this.dimensions,
      idf: this.idf ? Buffer.from(this.idf.buffer, this.idf.byteOffset, this.idf.byteLength).toString('base64') : undefined,
    };
  }

  embed(text: string): number[] {
    const v = new Array<number>(this.dimensions).fill(0);
    for (const [bucket, value] of this.features(text)) v[bucket] = value * (this.idf?.[bucket] ?? 1);
    const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    return norm > 0 ? v.map((x) => x / norm) : v;
  }

  async embedDocuments(documents: string[]): Promise<number[][]> {
    return documents.map((d) => this.embed(d));
  }

  async embedQuery(document: string): Promise<number[]> {
    return this.embed(document);
  }
}
