import type { Analyzer } from '../text/analyzer.js';
import type { Chunk } from '../chunks.js';

/**
 * BM25F over our own terms: a chunk's title (article heading or leaflet question and its other phrasings),
 * text and context (leaflet title and tags, law name) count with different weights. Postings are typed
 * arrays and scores accumulate in one array per query, which keeps a long worker's story under a few
 * milliseconds (a general-purpose search library allocated a result object per matching document).
 */
export interface LexicalHit {
  id: string;
  score: number;
}

const FIELD_WEIGHTS = { title: 1.6, text: 1, context: 0.5 } as const;
type Field = keyof typeof FIELD_WEIGHTS;
const K1 = 1.2;
const B = 0.7;
/** BM25+ lower bound: every matching term adds something, so matching more of the question wins. */
const DELTA = 0.5;

interface Posting {
  docs: Int32Array;
  /** Field-weighted term frequency in each document. */
  tfs: Float32Array;
}

interface Serialized {
  ids: string[];
  lengths: number[];
  postings: Record<string, [number[], number[]]>;
}

export class LexicalIndex {
  private readonly avgLength: number;

  private constructor(
    private readonly ids: string[],
    private readonly lengths: Float32Array,
    private readonly postings: Map<string, Posting>,
  ) {
    this.avgLength = lengths.reduce((s, l) => s + l, 0) / Math.max(lengths.length, 1);
  }

  static build(chunks: Chunk[], analyzer: Analyzer): LexicalIndex {
    const building = new Map<string, { docs: number[]; tfs: number[] }>();
    const lengths = new Float32Array(chunks.length);
    chunks.forEach((c, doc) => {
      const fields: Record<Field, string> = {
        title: [c.title, ...(c.alternates ?? [])].join('\n'),
        text: c.text,
        context: c.context ?? '',
      };
      const tf = new Map<string, number>();
      for (const field of Object.keys(FIELD_WEIGHTS) as Field[]) {
        const terms = analyzer.indexTerms(fields[field]);
        lengths[doc]! += terms.length * FIELD_WEIGHTS[field];
        for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + FIELD_WEIGHTS[field]);
      }
      for (const [term, f] of tf) {
        let p = building.get(term);
        if (!p) building.set(term, (p = { docs: [], tfs: [] }));
        p.docs.push(doc);
        p.tfs.push(f);
      }
    });
    const postings = new Map<string, Posting>();
    for (const [term, p] of building) postings.set(term, { docs: Int32Array.from(p.docs), tfs: Float32Array.from(p.tfs) });
    return new LexicalIndex(
      chunks.map((c) => c.id),
      lengths,
      postings,
    );
  }

  static fromJSON(json: string): LexicalIndex {
    const data = JSON.parse(json) as Serialized;
    const postings = new Map<string, Posting>();
    for (const [term, [docs, tfs]] of Object.entries(data.postings)) {
      postings.set(term, { docs: Int32Array.from(docs), tfs: Float32Array.from(tfs) });
    }
    return new LexicalIndex(data.ids, Float32Array.from(data.lengths), postings);
  }

  toJSON(): string {
    const postings: Serialized['postings'] = {};
    for (const [term, p] of this.postings) postings[term] = [Array.from(p.docs), Array.from(p.tfs, (x) => Math.round(x * 100) / 100)];
    return JSON.stringify({ ids: this.ids, lengths: Array.from(this.lengths), postings } satisfies Serialized);
  }

  /** Weighted terms in, scored chunk ids out (best first). */
  search(terms: Map<string, number>, limit: number, allow?: (id: string) => boolean): LexicalHit[] {
    const n = this.ids.length;
    const scores = new Float32Array(n);
    for (const [term, weight] of terms) {
      const p = this.postings.get(term);
      if (!p) continue;
      const idf = Math.log(1 + (n - p.docs.length + 0.5) / (p.docs.length + 0.5));
      for (let i = 0; i < p.docs.length; i++) {
        const doc = p.docs[i]!;
        const tf = p.tfs[i]!;
        const norm = K1 * (1 - B + (B * this.lengths[doc]!) / this.avgLength);
        scores[doc]! += weight * idf * ((tf * (K1 + 1)) / (tf + norm) + DELTA);
      }
    }
    const matched: number[] = [];
    for (let doc = 0; doc < n; doc++) if (scores[doc]! > 0) matched.push(doc);
    matched.sort((a, b) => scores[b]! - scores[a]!);
    const out: LexicalHit[] = [];
    for (const doc of matched) {
      const id = this.ids[doc]!;
      if (allow && !allow(id)) continue;
      out.push({ id, score: scores[doc]! });
      if (out.length === limit) break;
    }
    return out;
  }
}
