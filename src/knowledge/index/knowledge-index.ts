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
}

/** One retrieved chunk with the evidence that ranked it. */
export interface Hit {
  chunk: Chunk;
  score: number;
  lexical: number;
  similarity: number;
  /** Share of the question's (IDF-weighted) content words the chunk contains, synonyms included. */
  coverage: number;
  /** Share of the question's content words in the chunk's title or leaflet question. */
  titleMatch: number;
  /** Longest run of the question's words found verbatim (folded) in the chunk, in words. */
  phrase: number;
  status: 'current' | 'outdated';
}

export interface SearchResult {
  query: QueryAnalysis;
  hits: Hit[];
}

export type ArticleText = ArticleView;

const CANDIDATES = 60;
const RRF_K = 60;

/** Weights of the final score; tuned on knowledge/eval (see README, "Retrieval quality"). */
export const RANK_WEIGHTS = {
  rrf: 0.3,
  lexical: 0.2,
  similarity: 0.15,
  coverage: 0.2,
  title: 0.1,
  phrase: 0.05,
  outdatedPenalty: 0.15,
} as const;

/**
 * A loaded index: chunks, their lexical and vector indexes, and the corpus statistics used to rank and to
 * judge confidence. Immutable; a rebuild produces a new one.
 */
export class KnowledgeIndex {
  private readonly byId: Map<string, Chunk>;
  private readonly words: Set<string>[];
  private readonly titleWords: Set<string>[];
  private readonly foldedText: string[];
  private readonly documentFrequency: Map<string, number>;

  constructor(
    readonly chunks: Chunk[],
    readonly articles: Map<string, ArticleText>,
    private readonly lexical: LexicalIndex,
    private readonly vectors: VectorIndex,
    readonly embeddings: Embeddings,
    readonly analyzer: Analyzer,
  ) {
    this.byId = new Map(chunks.map((c) => [c.id, c]));
    this.foldedText = chunks.map((c) => ` ${tokenize(`${c.title} ${c.text}`).map(fold).join(' ')} `);
    this.words = this.foldedText.map((t) => new Set(t.trim().split(' ')));
    this.titleWords = chunks.map((c) => new Set(tokenize(c.title).map(fold)));
    this.documentFrequency = new Map();
    for (const set of this.words) for (const w of set) this.documentFrequency.set(w, (this.documentFrequency.get(w) ?? 0) + 1);
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
    const position = new Map(this.chunks.map((c, i) => [c.id, i]));

    const lexHits = this.lexical.search(query.terms, CANDIDATES, (id) => allowed[position.get(id)!] === true);
    const vector = await this.embeddings.embedQuery(expandForVector(query));
    const vecHits = this.vectors.search(vector, CANDIDATES, (label) => allowed[label] === true);

    const candidates = new Map<number, { rrf: number; lexical: number; similarity: number }>();
    const entry = (i: number) => {
      let e = candidates.get(i);
      if (!e) candidates.set(i, (e = { rrf: 0, lexical: 0, similarity: 0 }));
      return e;
    };
    lexHits.forEach((h, rank) => {
      const e = entry(position.get(h.id)!);
      e.rrf += 1 / (RRF_K + rank + 1);
      e.lexical = h.score;
    });
    vecHits.forEach((h, rank) => {
      const e = entry(h.label);
      e.rrf += 1 / (RRF_K + rank + 1);
      e.similarity = h.similarity;
    });

    const maxLex = Math.max(1e-9, ...lexHits.map((h) => h.score));
    const maxRrf = 2 / (RRF_K + 1);
    const slots = this.slots(query);
    const totalWeight = slots.reduce((s, x) => s + x.weight, 0);

    const hits: Hit[] = [...candidates].map(([i, e]) => {
      const chunk = this.chunks[i]!;
      const words = this.words[i]!;
      const covered = slots.filter((s) => s.matches(words)).reduce((sum, s) => sum + s.weight, 0);
      const coverage = totalWeight > 0 ? covered / totalWeight : 0;
      const titleWords = this.titleWords[i]!;
      const content = query.contentWords;
      const titleMatch = content.length ? content.filter((w) => titleWords.has(w)).length / content.length : 0;
      const phrase = longestRun(content, this.foldedText[i]!);
      const status = statusOf[i] === 'outdated' ? 'outdated' : 'current';
      const w = RANK_WEIGHTS;
      const score =
        (w.rrf * e.rrf) / maxRrf +
        (w.lexical * e.lexical) / maxLex +
        w.similarity * e.similarity +
        w.coverage * coverage +
        w.title * titleMatch +
        w.phrase * Math.min(1, Math.max(0, phrase - 1) / 3) -
        (status === 'outdated' ? w.outdatedPenalty : 0);
      return { chunk, score, lexical: e.lexical, similarity: e.similarity, coverage, titleMatch, phrase, status };
    });
    hits.sort((a, b) => b.score - a.score);
    return { query, hits: hits.slice(0, options.limit ?? 10) };
  }

  /**
   * Coverage slots: one per content word of the question, weighted by IDF. A word that belongs to a synonym
   * phrase the question used also counts as covered when the chunk has every word of another phrase of that
   * group ("nghỉ phép" is covered by a text about "nghỉ hằng năm").
   */
  private slots(query: QueryAnalysis): { weight: number; matches: (words: Set<string>) => boolean }[] {
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

/** Longest run of consecutive query words occurring verbatim in the (folded, space-padded) text. */
function longestRun(words: string[], paddedText: string): number {
  let best = 0;
  for (let i = 0; i < words.length; i++) {
    for (let j = i + 1; j <= words.length; j++) {
      if (paddedText.includes(` ${words.slice(i, j).join(' ')} `)) best = Math.max(best, j - i);
      else break;
    }
  }
  return best;
}
