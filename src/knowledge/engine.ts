import { citationLine, composeFromChunk, choosePrimary, notSure } from './compose.js';
import type { Hit, KnowledgeIndex } from './index/knowledge-index.js';
import { HybridRetriever } from './retriever.js';
import type { AnswerResult, ArticleView, AskOptions, KnowledgeAnswerer } from './types.js';

/** Rewrites an extractive answer body in plainer words from the retrieved text only (optional LLM step). */
export type RephraseStep = (input: { question: string; answer: string; passages: string[] }) => Promise<{ text: string; rephrased: boolean }>;

export interface KnowledgeEngineOptions {
  minConfidence?: number;
  rephrase?: RephraseStep;
}

/** A logistic model of "the best result answers the question", over {@link confidenceFeatures}. */
export interface ConfidenceModel {
  bias: number;
  weights: number[];
  /** Answers below this confidence are "not sure". */
  threshold: number;
}

/**
 * Fitted by `npm run tune -- --questions knowledge/eval/dev.jsonl --calibration
 * knowledge/eval/oos-calibration.jsonl --trials 0` (in-scope and out-of-scope questions of the dev set plus
 * 150 out-of-scope ones); the threshold keeps out-of-scope questions answered at most 4% of the time there.
 * knowledge/eval/test.jsonl is kept out of fitting to measure how it generalises (see README).
 */
export const CONFIDENCE_MODEL: ConfidenceModel = {
  bias: -7.285,
  weights: [-0.532, 3.47, 2.401, 2.727, 0.87, 0.659, 0.179, 0.765, 1.197, -0.249],
  threshold: 0.34,
};

/**
 * What the confidence model looks at: how much of the question the best chunk covers, how close it is in
 * meaning, its title, the raw lexical strength, its lead over the next result, how many of the question's
 * word pairs it contains, the length of the question, whether other top results point at the same
 * article, how much of the question's vocabulary the corpus knows at all, and whether it contains the
 * question's rarest words.
 */
export function confidenceFeatures(hits: Hit[], query: QueryEvidence): number[] {
  const top = hits[0];
  if (!top || query.contentWords === 0) return new Array<number>(FEATURES).fill(0);
  const key = (h: Hit) => h.chunk.citations.map((c) => `${c.lawId}:${c.article}`);
  const topKeys = new Set(key(top));
  const agreeing = hits.slice(1, 5).filter((h) => key(h).some((k) => topKeys.has(k))).length;
  return [
    top.coverage,
    Math.min(1, Math.max(0, (top.similarity - 0.1) / 0.5)),
    top.titleMatch,
    Math.min(1, Math.log1p(top.lexical) / 4),
    Math.min(1, Math.max(0, top.score - (hits[1]?.score ?? 0)) * 5),
    top.pairCoverage,
    Math.min(1, query.contentWords / 4),
    agreeing / 4,
    query.vocabulary,
    top.keyCoverage,
  ];
}

/** What the confidence model needs to know about the question itself. */
export interface QueryEvidence {
  contentWords: number;
  vocabulary: number;
}

const FEATURES = 10;

export function confidenceOf(hits: Hit[], query: QueryEvidence, model: ConfidenceModel = CONFIDENCE_MODEL): number {
  if (!hits[0] || query.contentWords === 0) return 0;
  const x = confidenceFeatures(hits, query);
  const z = model.bias + x.reduce((sum, v, i) => sum + v * (model.weights[i] ?? 0), 0);
  return Math.round((1 / (1 + Math.exp(-z))) * 100) / 100;
}

/** The knowledge engine the flow engine's `answer` node and the CLIs use. */
export class KnowledgeEngine implements KnowledgeAnswerer {
  readonly ready = true;

  readonly retriever: HybridRetriever;

  constructor(
    readonly index: KnowledgeIndex,
    private readonly options: KnowledgeEngineOptions = {},
  ) {
    this.retriever = new HybridRetriever({ index });
  }

  get minConfidence(): number {
    return this.options.minConfidence ?? CONFIDENCE_MODEL.threshold;
  }

  async ask(question: string, options: AskOptions = {}): Promise<AnswerResult> {
    return (await this.answerWithHits(question, options)).result;
  }

  /** The answer and the ranked chunks it came from (evaluation reads both from one search). */
  async answerWithHits(question: string, options: AskOptions = {}): Promise<{ result: AnswerResult; hits: Hit[] }> {
    const documents = await this.retriever.withOptions({ topic: options.topic, at: options.at, limit: 10 }).invoke(question);
    const hits = documents.map((d) => d.metadata.hit);
    const query = documents[0]?.metadata.query ?? this.index.analyzer.analyzeQuery(question);
    const evidence = { contentWords: query.contentWords.length, vocabulary: documents[0]?.metadata.vocabulary ?? 0 };
    const confidence = confidenceOf(hits, evidence);
    if (confidence < this.minConfidence)
      return { result: { ...notSure(hits, confidence), topic: hits[0]?.chunk.topics[0] }, hits };
    const primary = choosePrimary(hits)!;
    const composed = composeFromChunk(primary.chunk, this.index, { confidence, hits, status: primary.status, queryWords: query.contentWords });
    const result = { ...composed, topic: primary.chunk.topics[0] };
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
    return { ...composeFromChunk(chunk, this.index, { confidence: 1, hits: [], status: 'current' }), topic: chunk.topics[0] };
  }
}
