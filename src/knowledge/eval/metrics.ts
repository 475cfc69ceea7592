import type { Hit } from '../index/knowledge-index.js';

/** One labelled question of knowledge/eval/*.jsonl; `relevant` empty means out of scope. */
export interface EvalQuestion {
  id: string;
  question: string;
  relevant: { law_id: string; article: string }[];
}

export interface EvalReport {
  n: number;
  'recall@1': number;
  'recall@3': number;
  'recall@5': number;
  mrr: number;
  /** Share of in-scope questions answered (not "not sure"). */
  answered_rate: number;
  p50_ms: number;
  p99_ms: number;
  n_in_scope: number;
  n_out_of_scope: number;
  /** Share of out-of-scope questions that got an answer instead of "not sure" (lower is better). */
  false_answer_rate: number;
}

export interface EvalOutcome {
  question: EvalQuestion;
  hits: Hit[];
  answered: boolean;
  ms: number;
}

/**
 * Articles in the order results name them: an article or clause names itself, a leaflet section the
 * articles it cites. Ranks are over these distinct articles (the eval contract).
 */
export function rankedArticles(hits: Hit[]): string[] {
  const out: string[] = [];
  for (const h of hits) {
    for (const c of h.chunk.citations) {
      const key = `${c.lawId}:${c.article}`;
      if (!out.includes(key)) out.push(key);
    }
  }
  return out;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

export function summarise(outcomes: EvalOutcome[]): EvalReport {
  const inScope = outcomes.filter((o) => o.question.relevant.length > 0);
  const outOfScope = outcomes.filter((o) => o.question.relevant.length === 0);
  const recallAt = (k: number) =>
    inScope.reduce((sum, o) => {
      const top = rankedArticles(o.hits).slice(0, k);
      const relevant = o.question.relevant.map((r) => `${r.law_id}:${r.article}`);
      return sum + relevant.filter((r) => top.includes(r)).length / relevant.length;
    }, 0) / Math.max(inScope.length, 1);
  const mrr =
    inScope.reduce((sum, o) => {
      const ranked = rankedArticles(o.hits);
      const relevant = new Set(o.question.relevant.map((r) => `${r.law_id}:${r.article}`));
      const rank = ranked.findIndex((a) => relevant.has(a));
      return sum + (rank >= 0 ? 1 / (rank + 1) : 0);
    }, 0) / Math.max(inScope.length, 1);
  const times = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  return {
    n: outcomes.length,
    'recall@1': round(recallAt(1)),
    'recall@3': round(recallAt(3)),
    'recall@5': round(recallAt(5)),
    mrr: round(mrr),
    answered_rate: round(inScope.filter((o) => o.answered).length / Math.max(inScope.length, 1)),
    p50_ms: round(percentile(times, 50), 2),
    p99_ms: round(percentile(times, 99), 2),
    n_in_scope: inScope.length,
    n_out_of_scope: outOfScope.length,
    false_answer_rate: round(outOfScope.filter((o) => o.answered).length / Math.max(outOfScope.length, 1)),
  };
}
