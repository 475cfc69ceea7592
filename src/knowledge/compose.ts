import { splitClauses, type Chunk } from './chunks.js';
import type { ArticleText, Hit, KnowledgeIndex } from './index/knowledge-index.js';
import type { AnswerResult, Citation, FollowUp } from './types.js';
import { fold } from './normalize.js';
import { tokenize } from './text/analyzer.js';

/**
 * Extractive answers: the words of a leaflet section, or of the clause of the law when no leaflet covers
 * it, followed by the citation line. Nothing here writes law in its own words.
 */

export const NOT_SURE_ANSWER =
  'Mình chưa chắc chắn về câu này nên không muốn trả lời sai. Bạn có thể hỏi lại rõ hơn, hoặc để cán bộ công đoàn trả lời giúp.';

const MAX_PASSAGE_CHARS = 700;

/** "khoản 2 Điều 113 Bộ luật Lao động 2019". */
export function formatCitation(citation: Citation, lawName: string | undefined): string {
  const clause = citation.clause ? `khoản ${citation.clause} ` : '';
  return `${clause}Điều ${citation.article} ${lawName ?? citation.lawId}`;
}

export function citationLine(citations: Citation[], index: KnowledgeIndex): string {
  const names = citations.map((c) => formatCitation(c, index.article(c.lawId, c.article)?.lawName));
  return `Căn cứ: ${[...new Set(names)].join('; ')}.`;
}

const NUMBER = /\d+(?:[.,]\d+)*%?/g;

/**
 * A leaflet cites whole articles; when every number of the section's answer appears in exactly one clause of
 * the cited article, the citation can name that clause.
 */
export function refineClause(citation: Citation, answer: string, article: ArticleText | undefined): Citation {
  if (citation.clause || !article) return citation;
  const numbers = [...new Set(answer.match(NUMBER) ?? [])];
  if (numbers.length === 0) return citation;
  const clauses = splitClauses(article.text);
  const matching = clauses.filter((c) => numbers.every((n) => new RegExp(`(?<![\\d.,])${n.replace(/[.%]/g, '\\$&')}(?![\\d])`).test(c.text)));
  return matching.length === 1 ? { ...citation, clause: matching[0]!.clause } : citation;
}

function trimPassage(text: string): string {
  if (text.length <= MAX_PASSAGE_CHARS) return text;
  const cut = text.slice(0, MAX_PASSAGE_CHARS);
  const end = Math.max(cut.lastIndexOf('.\n'), cut.lastIndexOf('; '), cut.lastIndexOf('. '));
  return `${(end > MAX_PASSAGE_CHARS / 2 ? cut.slice(0, end + 1) : cut.replace(/\s+\S*$/, '')).trim()} …`;
}

/**
 * A long clause lists points ("a) …", "b) …"); the worker needs its opening line and the points that match
 * the question, in their order, with "…" where points were left out.
 */
export function focusPassage(text: string, queryWords: string[]): string {
  if (text.length <= MAX_PASSAGE_CHARS || queryWords.length === 0) return trimPassage(text);
  const lines = text.split('\n');
  const isPoint = (l: string) => /^[a-zđ]\)\s/.test(l);
  const points = lines.map((l, i) => ({ l, i })).filter((x) => isPoint(x.l));
  if (points.length < 2) return trimPassage(text);
  const words = new Set(queryWords);
  const scored = points
    .map((p) => ({ ...p, score: tokenize(p.l).map(fold).filter((w) => words.has(w)).length }))
    .filter((p) => p.score > 0)
    .sort((a, b) => b.score - a.score);
  const lead = lines.filter((l, i) => !isPoint(l) && i < points[0]!.i);
  const keep = new Set<number>();
  let length = lead.join('\n').length;
  for (const p of scored) {
    if (length + p.l.length > MAX_PASSAGE_CHARS && keep.size > 0) break;
    keep.add(p.i);
    length += p.l.length;
  }
  if (keep.size === 0) return trimPassage(text);
  const out: string[] = [...lead];
  let skipped = false;
  for (const p of points) {
    if (keep.has(p.i)) {
      if (skipped) out.push('…');
      out.push(p.l);
      skipped = false;
    } else skipped = true;
  }
  if (skipped) out.push('…');
  return trimPassage(out.join('\n'));
}

/** Picks what to answer from: a leaflet section when one near the top explains the same article. */
export function choosePrimary(hits: Hit[]): Hit | undefined {
  const top = hits[0];
  if (!top || top.chunk.kind === 'leaflet') return top;
  const sameArticle = (c: Chunk) => c.citations.some((x) => x.lawId === top.chunk.lawId && x.article === top.chunk.article);
  return hits.slice(1, 5).find((h) => h.chunk.kind === 'leaflet' && sameArticle(h.chunk) && h.score >= top.score * 0.75) ?? top;
}

function outdatedNotice(chunk: Chunk, index: KnowledgeIndex): string | undefined {
  if (chunk.outdatedNote) return `Lưu ý: ${chunk.outdatedNote}`;
  if (!chunk.supersededBy) return undefined;
  const newer = index.chunks.find((c) => c.lawId === chunk.supersededBy)?.lawName ?? `văn bản số ${chunk.supersededBy}`;
  return `Lưu ý: ${chunk.lawName} đã được thay thế bởi ${newer}, nên quy định hiện hành có thể đã khác. Bạn nên hỏi cán bộ công đoàn để biết quy định mới.`;
}

function followUps(primary: Chunk, citations: Citation[], hits: Hit[]): FollowUp[] {
  const out: FollowUp[] = [];
  const first = citations[0];
  if (first) out.push({ title: `Xem toàn văn Điều ${first.article}`, payload: `ARTICLE:${first.lawId}:${first.article}` });
  const seen = new Set([primary.title]);
  for (const h of hits) {
    if (out.length >= 4) break;
    if (h.chunk.kind !== 'leaflet' || h.chunk.id === primary.id || seen.has(h.chunk.title)) continue;
    seen.add(h.chunk.title);
    out.push({ title: h.chunk.title, payload: `ASK:${h.chunk.id}` });
  }
  return out;
}

/** The answer for a chosen chunk (also used when a worker taps a related question). */
export function composeFromChunk(
  primary: Chunk,
  index: KnowledgeIndex,
  extras: { confidence: number; hits: Hit[]; status: 'current' | 'outdated'; queryWords?: string[] },
): AnswerResult {
  let body: string;
  let citations: Citation[];
  if (primary.kind === 'leaflet') {
    citations = primary.citations.map((c) => refineClause(c, primary.text, index.article(c.lawId, c.article)));
    body = primary.text;
  } else {
    citations = primary.citations;
    const where = formatCitation(primary.citations[0]!, primary.lawName);
    body = `Theo ${where} (${primary.title.replace(/^Điều \d+[a-z]?\.\s*/, '')}):\n${focusPassage(primary.text, extras.queryWords ?? [])}`;
  }
  const notice = extras.status === 'outdated' || primary.outdatedNote ? outdatedNotice(primary, index) : undefined;
  const answer = [body, citationLine(citations, index), notice].filter(Boolean).join('\n\n');
  return {
    answer,
    confidence: extras.confidence,
    answered: true,
    citations,
    sources: extras.hits.slice(0, 5).map((h) => ({ id: h.chunk.id, title: h.chunk.title, score: round3(h.score) })),
    followUps: followUps(primary, citations, extras.hits),
    outdated: extras.status === 'outdated' || Boolean(primary.outdatedNote),
  };
}

export function notSure(hits: Hit[], confidence: number): AnswerResult {
  return {
    answer: NOT_SURE_ANSWER,
    confidence,
    answered: false,
    citations: [],
    sources: hits.slice(0, 5).map((h) => ({ id: h.chunk.id, title: h.chunk.title, score: round3(h.score) })),
  };
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
