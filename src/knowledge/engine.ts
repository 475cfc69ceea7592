import { citationLine, composeFromChunk, choosePrimary, notSure } from './compose.js';
import type { Hit, KnowledgeIndex, SearchOptions } from './index/knowledge-index.js';
import type { AnswerResult, ArticleView, AskOptions, KnowledgeAnswerer } from './types.js';

/** Default confidence below which the bot says it is not sure (tuned on knowledge/eval; see README). */
export const DEFAULT_MIN_CONFIDENCE = 0.5;

/** Rewrites an extractive answer body in plainer words from the retrieved text only (optional LLM step). */
export type RephraseStep = (input: { question: string; answer: string; passages: string[] }) => Promise<{ text: string; rephrased: boolean }>;

export interface KnowledgeEngineOptions {
  minConfidence?: number;
  rephrase?: RephraseStep;
}

/**
 * How sure the engine is that the best chunk answers the question: mostly whether the chunk contains the
 * question's important (rare) words, then how close it is in meaning and whether its title matches.
 */
export function confidenceOf(top: Hit | undefined, contentWords: number): number {
  if (!top || contentWords === 0) return 0;
  const similarity = Math.min(1, Math.max(0, (top.similarity - 0.15) / 0.45));
  const value = 0.6 * top.coverage + 0.25 * similarity + 0.15 * top.titleMatch;
  return Math.round(Math.min(1, Math.max(0, value)) * 100) / 100;
}

/** The knowledge engine the flow engine's `answer` node and the CLIs use. */
export class KnowledgeEngine implements KnowledgeAnswerer {
  readonly ready = true;

  constructor(
    readonly index: KnowledgeIndex,
    private readonly options: KnowledgeEngineOptions = {},
  ) {}

  get minConfidence(): number {
    return this.options.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
  }

  /** Ranked chunks for a question (what `eval` measures). */
  async retrieve(question: string, options: SearchOptions = {}): Promise<Hit[]> {
    return (await this.index.search(question, options)).hits;
  }

  async ask(question: string, options: AskOptions = {}): Promise<AnswerResult> {
    return (await this.answerWithHits(question, options)).result;
  }

  /** The answer and the ranked chunks it came from (evaluation reads both from one search). */
  async answerWithHits(question: string, options: AskOptions = {}): Promise<{ result: AnswerResult; hits: Hit[] }> {
    const { query, hits } = await this.index.search(question, { topic: options.topic, at: options.at, limit: 10 });
    const confidence = confidenceOf(hits[0], query.contentWords.length);
    if (confidence < this.minConfidence) return { result: notSure(hits, confidence), hits };
    const primary = choosePrimary(hits)!;
    const result = composeFromChunk(primary.chunk, this.index, { confidence, hits, status: primary.status, queryWords: query.contentWords });
    return { result: this.options.rephrase ? await this.rephrased(question, result, primary) : result, hits };
  }

  /** An optional LLM pass over the body only: the citation line and notices stay exactly as composed. */
  private async rephrased(question: string, result: AnswerResult, primary: Hit): Promise<AnswerResult> {
    const line = citationLine(result.citations, this.index);
    const [body, ...rest] = result.answer.split(`\n\n${line}`);
    const passages = [primary.chunk.text, ...result.citations.map((c) => this.index.article(c.lawId, c.article)?.text ?? '')];
    const { text, rephrased } = await this.options.rephrase!({ question, answer: body ?? '', passages });
    return rephrased ? { ...result, answer: `${text}\n\n${line}${rest.join('')}` } : result;
  }

  article(lawId: string, article: string): ArticleView | undefined {
    return this.index.article(lawId, article);
  }

  section(id: string): AnswerResult | undefined {
    const chunk = this.index.chunk(id);
    if (!chunk || chunk.kind !== 'leaflet') return undefined;
    return composeFromChunk(chunk, this.index, { confidence: 1, hits: [], status: 'current' });
  }
}
