import MiniSearch from 'minisearch';
import type { Analyzer } from '../text/analyzer.js';
import type { Chunk } from '../chunks.js';

/**
 * BM25 over our own terms (MiniSearch does the inverted index, BM25+ scoring, field boosts and
 * serialisation; the analyzer decides what a term is). Titles (article headings, leaflet questions) weigh
 * more than bodies.
 */
export interface LexicalHit {
  id: string;
  score: number;
}

type Doc = { id: string; title: string; text: string; context: string };

const FIELDS = ['title', 'text', 'context'];
const split = (s: string) => (s ? s.split(' ') : []);

function options(analyzer: Analyzer) {
  return {
    fields: FIELDS,
    idField: 'id',
    // Index time: the analyzer's terms, space-joined; search time: already-analysed terms.
    tokenize: (text: string) => analyzer.indexTerms(text),
    processTerm: (term: string) => term,
    searchOptions: { tokenize: split, processTerm: (t: string) => t, boost: { title: 1.6, context: 0.5 } },
  };
}

export class LexicalIndex {
  private constructor(private readonly search_: MiniSearch<Doc>) {}

  static build(chunks: Chunk[], analyzer: Analyzer): LexicalIndex {
    const ms = new MiniSearch<Doc>(options(analyzer));
    ms.addAll(
      chunks.map((c) => ({ id: c.id, title: [c.title, ...(c.alternates ?? [])].join('\n'), text: c.text, context: c.context ?? '' })),
    );
    return new LexicalIndex(ms);
  }

  static fromJSON(json: string, analyzer: Analyzer): LexicalIndex {
    return new LexicalIndex(MiniSearch.loadJSON<Doc>(json, options(analyzer)));
  }

  toJSON(): string {
    return JSON.stringify(this.search_);
  }

  /** Weighted terms in, scored chunk ids out (best first). */
  search(terms: Map<string, number>, limit: number, allow?: (id: string) => boolean): LexicalHit[] {
    if (terms.size === 0) return [];
    const results = this.search_.search([...terms.keys()].join(' '), {
      boostTerm: (term) => terms.get(term) ?? 1,
      filter: allow ? (r) => allow(r.id as string) : undefined,
    });
    return results.slice(0, limit).map((r) => ({ id: r.id as string, score: r.score }));
  }
}
