import type { Corpus, Law } from './corpus.js';
import { lawName, loadCorpus } from './corpus.js';
import { fold, words } from './normalize.js';
import type { AnswerResult, AskOptions, Citation, KnowledgeAnswerer } from './types.js';

/**
 * A plain lexical answerer (BM25 over folded syllables and syllable pairs). It is honest rather than
 * clever: it answers only when most of the question's words occur in one leaflet section or article, and
 * otherwise says it is not sure. The hybrid retriever of the knowledge engine replaces it.
 */

const STOP_WORDS = new Set(
  'a ak ah ba ban bi cai can cho chi co cua cung da dang de di do duoc em gi ha hay hoi khi la lam len ma minh mot nao nay neu nha nhe nhung oi ong phai ra roi sao se tai thi the theo thoi toi tu va van vay ve voi vi xin ko k hok dc j'.split(
    ' ',
  ),
);

interface Chunk {
  id: string;
  title: string;
  /** Text shown to the worker when this chunk is the answer. */
  body: string;
  citations: Citation[];
  topic?: string;
  validFrom?: string;
  supersededBy?: string;
  lawTitle?: string;
  terms: Map<string, number>;
  length: number;
}

function terms(text: string): string[] {
  const tokens = words(fold(text)).filter((t) => !STOP_WORDS.has(t));
  const pairs = tokens.slice(1).map((t, i) => `${tokens[i]}_${t}`);
  return [...tokens, ...pairs];
}

function counts(list: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of list) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
}

function articleChunks(law: Law): Chunk[] {
  return law.articles.map((a) => {
    const all = terms(`${a.title} ${a.title} ${a.text}`);
    return {
      id: `${law.law_id}:${a.article}`,
      title: `Điều ${a.article}. ${a.title} (${lawName(law)})`,
      body: a.text,
      citations: [{ lawId: law.law_id, article: a.article }],
      validFrom: law.effective,
      supersededBy: law.superseded_by,
      lawTitle: lawName(law),
      terms: counts(all),
      length: all.length,
    };
  });
}

export function buildChunks(corpus: Corpus): Chunk[] {
  const chunks = corpus.laws.flatMap(articleChunks);
  for (const leaflet of corpus.leaflets) {
    for (const s of leaflet.sections) {
      // The question is repeated so that a worker's phrasing of it outweighs words in the answer.
      const all = terms(`${s.question} ${s.question} ${s.answer}`);
      chunks.push({
        id: s.id,
        title: s.question,
        body: s.answer,
        citations: s.citations,
        topic: leaflet.meta.topic,
        validFrom: leaflet.meta.valid_from,
        terms: counts(all),
        length: all.length,
      });
    }
  }
  return chunks;
}

/** The clause of an article that shares most words with the question, so long articles stay readable. */
function bestPassage(text: string, query: Set<string>, maxChars = 700): string {
  if (text.length <= maxChars) return text;
  const clauses = text.split(/\n(?=\d+\.\s)/);
  let best = clauses[0] ?? text;
  let bestScore = -1;
  for (const c of clauses) {
    const score = terms(c).filter((t) => query.has(t)).length;
    if (score > bestScore) [best, bestScore] = [c, score];
  }
  return best.length <= maxChars ? best : `${best.slice(0, maxChars).replace(/\s+\S*$/, '')} …`;
}

export class SimpleAnswerer implements KnowledgeAnswerer {
  private chunks: Chunk[] = [];
  private df = new Map<string, number>();
  private avgLength = 1;
  private loaded = false;

  constructor(private readonly options: { minCoverage?: number } = {}) {}

  get ready(): boolean {
    return this.loaded;
  }

  get size(): number {
    return this.chunks.length;
  }

  async load(knowledgeDir: string): Promise<void> {
    this.index(await loadCorpus(knowledgeDir));
  }

  index(corpus: Corpus): void {
    const chunks = buildChunks(corpus);
    const df = new Map<string, number>();
    for (const c of chunks) for (const t of c.terms.keys()) df.set(t, (df.get(t) ?? 0) + 1);
    this.chunks = chunks;
    this.df = df;
    this.avgLength = chunks.reduce((s, c) => s + c.length, 0) / Math.max(chunks.length, 1);
    this.loaded = true;
  }

  async ask(question: string, options: AskOptions = {}): Promise<AnswerResult> {
    const queryTerms = [...new Set(terms(question))];
    const queryWords = queryTerms.filter((t) => !t.includes('_'));
    const at = (options.at ?? new Date()).toISOString().slice(0, 10);
    const n = this.chunks.length;
    const scored = this.chunks
      .filter((c) => (!options.topic || c.topic === options.topic) && (!c.validFrom || c.validFrom <= at))
      .map((c) => {
        let score = 0;
        for (const t of queryTerms) {
          const tf = c.terms.get(t);
          if (!tf) continue;
          const idf = Math.log(1 + (n - (this.df.get(t) ?? 0) + 0.5) / ((this.df.get(t) ?? 0) + 0.5));
          score += (idf * tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * c.length) / this.avgLength));
        }
        const coverage = queryWords.length ? queryWords.filter((t) => c.terms.has(t)).length / queryWords.length : 0;
        return { c, score, coverage };
      })
      .filter((s) => s.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, 5);

    const top = scored[0];
    const minCoverage = this.options.minCoverage ?? 0.6;
    const confidence = top ? Math.round(top.coverage * Math.min(1, top.score / 8) * 100) / 100 : 0;
    const sources = scored.map((s) => ({ id: s.c.id, title: s.c.title, score: Math.round(s.score * 1000) / 1000 }));
    if (!top || queryWords.length === 0 || top.coverage < minCoverage) {
      return {
        answer: 'Mình chưa tìm được câu trả lời chắc chắn cho câu hỏi này trong tài liệu của Công đoàn.',
        confidence,
        answered: false,
        citations: [],
        sources,
      };
    }
    const c = top.c;
    const passage = c.lawTitle ? `${c.title}:\n${bestPassage(c.body, new Set(queryTerms))}` : c.body;
    const basis = c.lawTitle ? '' : `\n\nCăn cứ: ${c.citations.map((x) => `Điều ${x.article} (${x.lawId})`).join(', ')}.`;
    const outdated = c.supersededBy
      ? `\n\nLưu ý: văn bản này đã được thay thế bởi ${c.supersededBy}; quy định hiện hành có thể đã khác, bạn nên hỏi cán bộ công đoàn.`
      : '';
    return { answer: `${passage}${basis}${outdated}`, confidence, answered: true, citations: c.citations, sources };
  }
}
