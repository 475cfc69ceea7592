import { z } from 'zod';
import { lawSchema, type Law } from './corpus.js';
import { nfc } from './normalize.js';

/**
 * Validation and normalisation of law texts before they enter knowledge/laws/: the article texts are kept
 * as enacted; only their encoding and white space are made uniform (NFC, one space, one newline between
 * clauses) so that citations, clause splitting and the content test behave the same on every file.
 */

export interface ImportProblem {
  level: 'error' | 'warning';
  message: string;
}

export function normaliseText(text: string): string {
  return nfc(text)
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00a0\u2007\u202f\t]/g, ' ')
    .replace(/[\u200b\ufeff]/g, '')
    .split('\n')
    .map((line) => line.replace(/ {2,}/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

const ARTICLE_NUMBER = /^\d+[a-z]?$/;

export const lawMetaSchema = z.record(
  z.string(),
  z
    .object({
      topics: z.array(z.string().regex(/^[a-z][a-z0-9_]*$/)).default([]),
      answer_note: z.string().optional(),
    })
    .strict(),
);
export type LawMeta = z.infer<typeof lawMetaSchema>[string];

export function normaliseLaw(input: unknown, meta: Partial<LawMeta> = {}): { law?: Law; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const parsed = lawSchema.safeParse(input);
  if (!parsed.success) {
    return { problems: parsed.error.issues.map((i) => ({ level: 'error', message: `${i.path.join('.') || '(file)'}: ${i.message}` })) };
  }
  const raw = parsed.data;
  const seen = new Set<string>();
  let previous = 0;
  const articles = raw.articles.map((a) => {
    const article = a.article.trim();
    if (!ARTICLE_NUMBER.test(article)) problems.push({ level: 'error', message: `số điều "${a.article}" không hợp lệ` });
    if (seen.has(article)) problems.push({ level: 'error', message: `Điều ${article} xuất hiện hai lần` });
    seen.add(article);
    const n = parseInt(article, 10);
    if (n < previous) problems.push({ level: 'warning', message: `Điều ${article} đứng sau Điều ${previous}` });
    previous = n;
    const text = normaliseText(a.text);
    if (!text) problems.push({ level: 'error', message: `Điều ${article} không có nội dung` });
    return { ...a, article, title: normaliseText(a.title).replace(/\.$/, ''), text };
  });
  if (!raw.partial) {
    const numbers = articles.map((a) => parseInt(a.article, 10)).filter((n) => !Number.isNaN(n));
    const max = Math.max(...numbers);
    const missing = Array.from({ length: max }, (_, i) => i + 1).filter((n) => !numbers.includes(n));
    if (missing.length) problems.push({ level: 'warning', message: `thiếu Điều ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ' …' : ''} (đánh dấu "partial": true nếu cố ý)` });
  }
  const law: Law = {
    ...raw,
    law_id: raw.law_id.trim(),
    title: normaliseText(raw.title),
    source: normaliseText(raw.source),
    ...(meta.topics?.length ? { topics: meta.topics } : {}),
    ...(meta.answer_note ? { answer_note: normaliseText(meta.answer_note) } : {}),
    articles,
  };
  return { law, problems };
}

/** knowledge/laws/ file name of a law: "45/2019/QH14" → "45-2019-QH14.json", "145/2020/NĐ-CP" → "145-2020-ND-CP.json". */
export function lawFileName(lawId: string): string {
  return `${lawId.replace(/Đ/g, 'D').replace(/đ/g, 'd').replace(/[^A-Za-z0-9-]+/g, '-')}.json`;
}
