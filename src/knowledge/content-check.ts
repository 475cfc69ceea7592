import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { loadCorpus, type Corpus } from './corpus.js';
import { LEAFLET_TOPICS } from './topics.js';

/**
 * The rules that keep the knowledge base honest, checked on every leaflet section:
 * - complete front matter, a known topic, unique ids;
 * - at least one citation, and every citation names an article the repository ships;
 * - every number in the answer occurs in the text of at least one cited article (or is on the reviewed
 *   allow-list, with its reason) — a number that cannot be traced to the law is a number made up;
 * - a leaflet citing a superseded law says so in `outdated_note`.
 */

export interface ContentProblem {
  file: string;
  section?: string;
  message: string;
}

const allowListSchema = z.array(
  z
    .object({
      value: z.string().min(1),
      reason: z.string().min(10, 'mỗi mục cần lý do rõ ràng'),
      /** Limit the entry to one section (`leaflet-id#n`); absent = any section. */
      section: z.string().optional(),
    })
    .strict(),
);
export type NumberAllowList = z.infer<typeof allowListSchema>;

export async function loadAllowList(file: string): Promise<NumberAllowList> {
  try {
    return allowListSchema.parse(parseYaml(await readFile(file, 'utf8')) ?? []);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

// A number as written: 12, 03, 1.500.000, 4,5, 50%. References to the law itself are not claims.
const NUMBER = /(?<![\p{L}\d])\d+(?:[.,]\d+)*(?![\d])/gu;
const REFERENCE = /(?:[Đđ]iều|[Kk]hoản|[Đđ]iểm|[Cc]hương|[Mm]ục|[Ss]ố)\s+\d+[a-zđ]?|\d+\/\d{4}\/[\p{L}\d-]+|(?:Bộ luật|Luật|Nghị định)[\p{L} ,]{1,60}?\s(?:năm\s)?(?:19|20)\d{2}(?!\d)/gu;

/** The value of a written number, so "03" = "3", "1.500.000" = "1500000" and "4,5" = "4.5". */
export function numberValue(written: string): string {
  const thousands = /^\d{1,3}(?:\.\d{3})+$/.test(written);
  const cleaned = thousands ? written.replace(/\./g, '') : written.replace(',', '.');
  const n = Number(cleaned);
  return Number.isFinite(n) ? String(n) : written;
}

export function numbersIn(text: string): string[] {
  return [...text.replace(REFERENCE, ' ').matchAll(NUMBER)].map((m) => m[0]);
}

/**
 * Numbers an article states: clause numbers at the start of a line ("1.", "2.") only number the clauses, so
 * they do not make "1 lần" a number the article says.
 */
export function articleNumbers(text: string): string[] {
  return numbersIn(text.replace(/^\d+\.\s/gm, ' '));
}

export function checkContent(corpus: Corpus, allowList: NumberAllowList): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const articles = new Map<string, string>();
  const superseded = new Set<string>();
  for (const law of corpus.laws) {
    if (law.superseded_by) superseded.add(law.law_id);
    for (const a of law.articles) articles.set(`${law.law_id}:${a.article}`, a.text);
  }
  const numbersByArticle = new Map<string, Set<string>>();
  const valuesOf = (key: string) => {
    let set = numbersByArticle.get(key);
    if (!set) numbersByArticle.set(key, (set = new Set(articleNumbers(articles.get(key) ?? '').map(numberValue))));
    return set;
  };

  const leafletIds = new Map<string, string>();
  for (const leaflet of corpus.leaflets) {
    const { meta, file } = leaflet;
    const other = leafletIds.get(meta.id);
    if (other) problems.push({ file, message: `id "${meta.id}" trùng với ${other}` });
    leafletIds.set(meta.id, file);
    if (!LEAFLET_TOPICS[meta.topic]) problems.push({ file, message: `chủ đề "${meta.topic}" không có trong danh sách (${Object.keys(LEAFLET_TOPICS).join(', ')})` });
    if (!meta.valid_from || !meta.review_by) problems.push({ file, message: 'thiếu valid_from hoặc review_by' });
    else if (meta.valid_from > meta.review_by) problems.push({ file, message: 'review_by trước valid_from' });
    if (meta.tags.length === 0) problems.push({ file, message: 'thiếu tags' });
    if (leaflet.sections.length === 0) problems.push({ file, message: 'không có mục "## câu hỏi" nào' });
    for (const ref of meta.sources) {
      if (!articles.has(ref)) problems.push({ file, message: `nguồn "${ref}" không có trong knowledge/laws` });
    }
    const citesSuperseded = meta.sources.some((r) => superseded.has(r.slice(0, r.lastIndexOf(':'))));
    if (citesSuperseded && !meta.outdated_note) {
      problems.push({ file, message: 'trích dẫn văn bản đã bị thay thế nhưng thiếu outdated_note' });
    }

    const questions = new Set<string>();
    for (const s of leaflet.sections) {
      const at = { file, section: s.id };
      if (!s.question.endsWith('?')) problems.push({ ...at, message: 'câu hỏi nên kết thúc bằng "?"' });
      if (questions.has(s.question)) problems.push({ ...at, message: 'câu hỏi trùng trong cùng tờ rơi' });
      questions.add(s.question);
      if (!s.answer.trim()) problems.push({ ...at, message: 'không có câu trả lời' });
      if (s.citations.length === 0) problems.push({ ...at, message: 'không có trích dẫn' });
      const cited = s.citations.map((c) => `${c.lawId}:${c.article}`);
      for (const key of cited) if (!articles.has(key)) problems.push({ ...at, message: `trích dẫn "${key}" không có trong knowledge/laws` });
      for (const written of numbersIn(s.answer)) {
        const value = numberValue(written);
        if (cited.some((key) => valuesOf(key).has(value))) continue;
        if (allowList.some((a) => numberValue(a.value) === value && (!a.section || a.section === s.id))) continue;
        problems.push({ ...at, message: `số "${written}" không có trong điều luật được trích (${cited.join(', ')})` });
      }
    }
  }
  return problems;
}

export async function checkKnowledgeDir(knowledgeDir: string): Promise<{ problems: ContentProblem[]; corpus: Corpus }> {
  const corpus = await loadCorpus(knowledgeDir);
  const allowList = await loadAllowList(path.join(knowledgeDir, 'leaflets', 'number-allowlist.yaml'));
  return { problems: checkContent(corpus, allowList), corpus };
}
