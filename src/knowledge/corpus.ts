import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Citation } from './types.js';
import { nfc } from './normalize.js';

/** knowledge/laws/*.json — the same shape as ../shared/data/laws/. */
export const lawSchema = z.object({
  law_id: z.string().min(1),
  title: z.string().min(1),
  year: z.number().int().min(1945).max(2100),
  effective: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  source: z.string().min(1),
  superseded_by: z.string().optional(),
  /** Topics of the whole law (e.g. ["bao_hiem"]), used by topic filters. */
  topics: z.array(z.string()).optional(),
  /** Shown with every answer from this law (e.g. "original text, later amendments not included"). */
  answer_note: z.string().optional(),
  notes: z.union([z.string(), z.array(z.string())]).optional(),
  partial: z.boolean().optional(),
  articles: z
    .array(z.object({ article: z.string().min(1), title: z.string(), text: z.string().min(1) }).passthrough())
    .min(1),
}).passthrough();
export type Law = z.infer<typeof lawSchema>;

const citationRef = z.string().regex(/^[^:]+:\d+[a-z]?$/, 'nguồn dạng "45/2019/QH14:113"');
const dateString = z.union([z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.date()]).transform((d) =>
  typeof d === 'string' ? d : d.toISOString().slice(0, 10),
);

/** Front matter of knowledge/leaflets/**\/*.md. */
export const leafletMetaSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  title: z.string().min(1),
  topic: z.string().min(1),
  audience: z.string().default('người lao động'),
  sources: z.array(citationRef).min(1),
  valid_from: dateString.optional(),
  review_by: dateString.optional(),
  tags: z.array(z.string()).default([]),
  outdated_note: z.string().optional(),
}).passthrough();
export type LeafletMeta = z.infer<typeof leafletMetaSchema>;

export interface LeafletSection {
  /** `${leaflet id}#${n}`, stable while sections keep their order. */
  id: string;
  question: string;
  answer: string;
  /** Citations of this section: its own `Căn cứ:` line when present, else the leaflet's sources. */
  citations: Citation[];
  /** Other ways workers ask the same question (`Hỏi cách khác:` line), used to find the section. */
  alternates: string[];
}

export interface Leaflet {
  file: string;
  meta: LeafletMeta;
  sections: LeafletSection[];
}

export interface Corpus {
  laws: Law[];
  leaflets: Leaflet[];
}

export class CorpusError extends Error {
  override name = 'CorpusError';
  constructor(readonly file: string, message: string) {
    super(`${file}: ${message}`);
  }
}

export function parseCitation(ref: string): Citation {
  const i = ref.lastIndexOf(':');
  return { lawId: ref.slice(0, i), article: ref.slice(i + 1) };
}

/**
 * The name workers recognise: "Bộ luật Lao động" + 2019 → "Bộ luật Lao động 2019"; decrees and circulars,
 * whose titles are long descriptions, are named by number: "Nghị định 168/2024/NĐ-CP".
 */
export function lawName(law: Pick<Law, 'title' | 'year' | 'law_id'>): string {
  const kind = /^(Nghị định|Thông tư|Quyết định|Nghị quyết)\b/i.exec(law.title)?.[1];
  if (kind) return `${kind} ${law.law_id}`;
  return law.title.includes(String(law.year)) ? law.title : `${law.title} ${law.year}`;
}

// A section may name its own articles on a line "Căn cứ: 45/2019/QH14:113, 45/2019/QH14:114".
const SECTION_SOURCES = /^\s*(?:Căn cứ|Nguồn)\s*:\s*(.+)$/imu;
// …and other phrasings of its question: "Hỏi cách khác: phép năm mấy ngày | nghỉ phép được bao lâu".
const SECTION_ALTERNATES = /^\s*Hỏi cách khác\s*:\s*(.+)$/imu;

export function parseLeaflet(file: string, raw: string): Leaflet {
  const text = nfc(raw).replace(/\r\n?/g, '\n');
  const m = /^---\n([\s\S]*?)\n---\n?([\s\S]*)$/.exec(text);
  if (!m) throw new CorpusError(file, 'thiếu phần đầu YAML (front matter) giữa hai dòng ---');
  let front: unknown;
  try {
    front = parseYaml(m[1]!);
  } catch (err) {
    throw new CorpusError(file, `phần đầu YAML không hợp lệ: ${(err as Error).message.split('\n')[0]} (chuỗi có dấu ":" cần đặt trong ngoặc kép)`);
  }
  const parsed = leafletMetaSchema.safeParse(front);
  if (!parsed.success) {
    throw new CorpusError(file, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  const meta = parsed.data;
  const sections: LeafletSection[] = [];
  const parts = m[2]!.split(/^## +/m).slice(1);
  parts.forEach((part, n) => {
    const [question = '', ...rest] = part.split('\n');
    let answer = rest.join('\n').trim();
    let citations = meta.sources.map(parseCitation);
    const own = SECTION_SOURCES.exec(answer);
    if (own) {
      citations = own[1]!.split(/[,;]\s*/).map((r) => parseCitation(r.trim()));
      answer = answer.replace(SECTION_SOURCES, '').trim();
    }
    const alt = SECTION_ALTERNATES.exec(answer);
    const alternates = alt ? alt[1]!.split('|').map((q) => q.trim()).filter(Boolean) : [];
    if (alt) answer = answer.replace(SECTION_ALTERNATES, '').trim();
    sections.push({ id: `${meta.id}#${n + 1}`, question: question.trim(), answer, citations, alternates });
  });
  return { file, meta, sections };
}

async function listFiles(dir: string, ext: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(ext))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

export async function loadCorpus(knowledgeDir: string): Promise<Corpus> {
  const laws: Law[] = [];
  for (const file of await listFiles(path.join(knowledgeDir, 'laws'), '.json')) {
    const parsed = lawSchema.safeParse(JSON.parse(nfc(await readFile(file, 'utf8'))));
    if (!parsed.success) {
      throw new CorpusError(file, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    }
    laws.push(parsed.data);
  }
  const leaflets: Leaflet[] = [];
  for (const file of await listFiles(path.join(knowledgeDir, 'leaflets'), '.md')) {
    leaflets.push(parseLeaflet(path.relative(knowledgeDir, file), await readFile(file, 'utf8')));
  }
  return { laws, leaflets };
}
