import type { Embeddings } from '@langchain/core/embeddings';
import { validity, type Chunk } from '../chunks.js';
import { fold } from '../normalize.js';
import { tokenize, type Analyzer, type QueryAnalysis } from '../text/analyzer.js';
import type { ArticleView } from '../types.js';
import type { LexicalIndex } from './lexical.js';
import type { VectorIndex } from './vector.js';

export interface SearchOptions {
  topic?: string;
  /** Date the rules must apply on; today when absent. */
  at?: Date;
  limit?: number;
  /** Keep superseded rules (ranked lower, flagged); the answerer does, strict filters do not. */
  includeOutdated?: boolean;
  /** Ranking weights (for tuning); {@link RANK_WEIGHTS} when absent. */
  weights?: RankWeights;
}

/** What a retrieved chunk has going for it, independent of the ranking weights. */
export interface Evidence {
  chunk: Chunk;
  lexical: number;
  similarity: number;
  /** Share of the question's (IDF-weighted) content words the chunk contains, synonyms included. */
  coverage: number;
  /** Share of the question's content words in the chunk's title or leaflet question. */
  titleMatch: number;
  /** Longest run of the question's words found verbatim (folded) in the chunk, in words. */
  phrase: number;
  /** Share of the question's adjacent word pairs ("nghi phep") found in the chunk. */
  pairCoverage: number;
  /** Share of the question's two rarest words found in the chunk (what the question is really about). */
  keyCoverage: number;
  status: 'current' | 'outdated';
}

/** A retrieved chunk before ranking: its evidence and its reciprocal-rank-fusion score. */
export interface Candidate extends Evidence {
  rrf: number;
}

/** One ranked chunk with the evidence that ranked it. */
export interface Hit extends Evidence {
  score: number;
}

export interface Candidates {
  query: QueryAnalysis;
  list: Candidate[];
  maxLexical: number;
  /** IDF-weighted share of the question's content words that occur anywhere in the corpus. */
  vocabulary: number;
}

export interface SearchResult {
  query: QueryAnalysis;
  hits: Hit[];
  vocabulary: number;
}

export type ArticleText = ArticleView;

const CANDIDATES = 60;
/** Terms in more than this share of chunks are too common to help the lexical search. */
const MAX_TERM_SHARE = 0.2;
/** At most this many terms go to the lexical index (the most informative ones). */
const MAX_QUERY_TERMS = 64;
const RRF_K = 60;

export interface RankWeights {
  rrf: number;
  lexical: number;
  similarity: number;
  coverage: number;
  title: number;
  phrase: number;
  outdatedPenalty: number;
}

/** Weights of the final score; tuned on knowledge/eval (see README, "Retrieval quality"). */
export const RANK_WEIGHTS: RankWeights = {
  rrf: 0.3,
  lexical: 0.2,
  similarity: 0.15,
  coverage: 0.2,
  title: 0.1,
  phrase: 0.05,
  outdatedPenalty: 0.15,
};

/**
 * A loaded index: chunks, their lexical and vector indexes, and the corpus statistics used to rank and to
 * judge confidence. Immutable; a rebuild produces a new one.
 */
export class KnowledgeIndex {
  private readonly byId: Map<string, Chunk>;
  private readonly position: Map<string, number>;
  private readonly words: Set<string>[];
  private readonly pairs: Set<string>[];
  private readonly titleWords: Set<string>[];
  private readonly documentFrequency: Map<string, number>;
  private readonly pairFrequency = new Map<string, number>();

  constructor(
    readonly chunks: Chunk[],
    readonly articles: Map<string, ArticleText>,
    private readonly lexical: LexicalIndex,
    private readonly vectors: VectorIndex,
    readonly embeddings: Embeddings,
    readonly analyzer: Analyzer,
  ) {
    this.byId = new Map(chunks.map((c) => [c.id, c]));
    this.position = new Map(chunks.map((c, i) => [c.id, i]));
    const folded = chunks.map((c) => tokenize(`${c.title} ${(c.alternates ?? []).join(' ')} ${c.text}`).map(fold));
    this.words = folded.map((w) => new Set(w));
    this.pairs = folded.map((w) => new Set(w.slice(1).map((x, i) => `${w[i]} ${x}`)));
    this.titleWords = chunks.map((c) => new Set(tokenize([c.title, ...(c.alternates ?? [])].join(' ')).map(fold)));
    this.documentFrequency = new Map();
    for (const set of this.words) for (const w of set) this.documentFrequency.set(w, (this.documentFrequency.get(w) ?? 0) + 1);
    for (const set of this.pairs) for (const p of set) this.pairFrequency.set(p, (this.pairFrequency.get(p) ?? 0) + 1);
  }

  /**
   * Drops query terms found in a large share of all chunks ("người", "lao động"): their BM25 weight is near
   * zero, yet scoring their long posting lists is most of the search time.
   */
  private selective(terms: Map<string, number>): Map<string, number> {
    const limit = MAX_TERM_SHARE * this.chunks.length;
    const n = this.chunks.length;
    const scored: [string, number, number][] = [];
    for (const [term, weight] of terms) {
      const body = term.slice(2);
      const df = (term[0] === 'F' || term[0] === 'A' ? this.pairFrequency.get(fold(body).replace('_', ' ')) : this.documentFrequency.get(fold(body))) ?? 0;
      if (df > limit) continue;
      // Long stories yield many terms; the ones that can move BM25 most are rare and strongly weighted.
      scored.push([term, weight, weight * Math.log((n + 1) / (df + 1))]);
    }
    if (scored.length === 0) return terms;
    scored.sort((a, b) => b[2] - a[2]);
    return new Map(scored.slice(0, MAX_QUERY_TERMS).map(([term, weight]) => [term, weight]));
  }

  chunk(id: string): Chunk | undefined {
    return this.byId.get(id);
  }

  article(lawId: string, article: string): ArticleText | undefined {
    return this.articles.get(`${lawId}:${article}`);
  }

  /** Inverse document frequency of a folded word: rare words say more about what a question is about. */
  idf(word: string): number {
    return Math.log((this.chunks.length + 1) / ((this.documentFrequency.get(word) ?? 0) + 1)) + 1;
  }

  async search(question: string, options: SearchOptions = {}): Promise<SearchResult> {
    const found = await this.candidates(question, options);
    const hits = rank(found, options.weights ?? RANK_WEIGHTS).slice(0, options.limit ?? 10);
    return { query: found.query, hits, vocabulary: found.vocabulary };
  }

  /**
   * Everything about a question that does not depend on the ranking weights: the lexical and vector
   * candidates and each one's evidence. Tuning ranks these many times with different weights.
   */
  async candidates(question: string, options: SearchOptions = {}): Promise<Candidates> {
    const query = this.analyzer.analyzeQuery(question);
    const day = (options.at ?? new Date()).toISOString().slice(0, 10);
    const includeOutdated = options.includeOutdated ?? true;
    const statusOf = this.chunks.map((c) => validity(c, day));
    const allowed = this.chunks.map(
      (c, i) =>
        (!options.topic || c.topics.includes(options.topic)) &&
        statusOf[i] !== 'future' &&
        (includeOutdated || statusOf[i] === 'current'),
    );

    const filterNeeded = Boolean(options.topic) || !includeOutdated;
    const lexHits = this.lexical.search(this.selective(query.terms), CANDIDATES, (id) => allowed[this.position.get(id)!] === true);
    const vector = await this.embeddings.embedQuery(expandForVector(query));
    // A JS filter callback per visited node is costly: filter inside HNSW only when a filter is asked for.
    const vecHits = this.vectors
      .search(vector, CANDIDATES, filterNeeded ? (label) => allowed[label] === true : undefined)
      .filter((h) => allowed[h.label]);

    const slots = this.slots(query);
    const content = query.contentWords;
    const queryPairs = [...new Set(content.slice(1).map((x, i) => `${content[i]} ${x}`))];
    const keySlots = [...slots].sort((a, b) => b.weight - a.weight).slice(0, 2);
    const byChunk = new Map<number, Candidate>();
    const entry = (i: number): Candidate => {
      let c = byChunk.get(i);
      if (!c) {
        const words = this.words[i]!;
        const titleWords = this.titleWords[i]!;
        const pairs = this.pairs[i]!;
        c = {
          chunk: this.chunks[i]!,
          rrf: 0,
          lexical: 0,
          similarity: 0,
          coverage: coverage(slots, words),
          titleMatch: content.length ? content.filter((x) => titleWords.has(x)).length / content.length : 0,
          phrase: longestRun(content, pairs),
          pairCoverage: queryPairs.length ? queryPairs.filter((p) => pairs.has(p)).length / queryPairs.length : 0,
          keyCoverage: coverage(keySlots, words),
          status: statusOf[i] === 'outdated' ? 'outdated' : 'current',
        };
        byChunk.set(i, c);
      }
      return c;
    };
    lexHits.forEach((h, r) => {
      const c = entry(this.position.get(h.id)!);
      c.rrf += 1 / (RRF_K + r + 1);
      c.lexical = h.score;
    });
    vecHits.forEach((h, r) => {
      const c = entry(h.label);
      c.rrf += 1 / (RRF_K + r + 1);
      c.similarity = h.similarity;
    });
    const known = [...new Set(content)].map((w) => ({ idf: this.idf(w), known: this.documentFrequency.has(w) }));
    const vocabulary = known.length ? known.filter((k) => k.known).reduce((s, k) => s + k.idf, 0) / known.reduce((s, k) => s + k.idf, 0) : 0;
    return { query, list: [...byChunk.values()], maxLexical: Math.max(1e-9, ...lexHits.map((h) => h.score)), vocabulary };
  }

  /**
   * Coverage slots: one per content word of the question, weighted by IDF. A word that belongs to a synonym
   * phrase the question used also counts as covered when the chunk has every word of another phrase of that
   * group ("nghỉ phép" is covered by a text about "nghỉ hằng năm").
   */
  private slots(query: QueryAnalysis): Slot[] {
    return [...new Set(query.contentWords)].map((word) => {
      const alternatives = query.synonymAlternatives.filter((group) => group.some((alt) => alt.includes(word))).flat();
      return {
        weight: this.idf(word),
        matches: (words: Set<string>) => words.has(word) || alternatives.some((alt) => alt.length > 0 && alt.every((w) => words.has(w))),
      };
    });
  }
}

/** The text the vector side embeds: the expanded question plus its synonym phrases. */
function expandForVector(query: QueryAnalysis): string {
  const extra = query.synonymAlternatives.flat().map((alt) => alt.join(' '));
  return [query.expandedText, ...extra].join(' ');
}

/** Longest run of consecutive query words whose every adjacent pair occurs in the text (in words). */
function longestRun(words: string[], pairs: Set<string>): number {
  let best = 0;
  let run = 1;
  for (let i = 1; i < words.length; i++) {
    run = pairs.has(`${words[i - 1]} ${words[i]}`) ? run + 1 : 1;
    if (run > best) best = run;
  }
  return best >= 2 ? best : 0;
}

/** Orders candidates by the weighted sum of their evidence. */
export function rank(found: Candidates, w: RankWeights): Hit[] {
  const maxRrf = 2 / (RRF_K + 1);
  const hits: Hit[] = found.list.map(({ rrf, ...evidence }) => ({
    ...evidence,
    score:
      (w.rrf * rrf) / maxRrf +
      (w.lexical * evidence.lexical) / found.maxLexical +
      w.similarity * evidence.similarity +
      w.coverage * evidence.coverage +
      w.title * evidence.titleMatch +
      w.phrase * Math.min(1, Math.max(0, evidence.phrase - 1) / 3) -
      (evidence.status === 'outdated' ? w.outdatedPenalty : 0),
  }));
  return hits.sort((a, b) => b.score - a.score);
}

type Slot = { weight: number; matches: (words: Set<string>) => boolean };

/** IDF-weighted share of the question's content words (synonyms counted) found in a chunk. */
function coverage(slots: Slot[], words: Set<string>): number {
  const total = slots.reduce((sum, x) => sum + x.weight, 0);
  return total > 0 ? slots.filter((x) => x.matches(words)).reduce((sum, x) => sum + x.weight, 0) / total : 0;
}

