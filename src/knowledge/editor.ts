import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import { loadAllowList, checkContent } from './content-check.js';
import { CorpusError, loadCorpus, parseLeaflet, type Corpus, type Leaflet } from './corpus.js';
import { nfc } from './normalize.js';

export interface LeafletSummary {
  id: string;
  title: string;
  topic: string;
  file: string;
  sources: string[];
  sections: number;
  valid_from?: string;
  review_by?: string;
  outdated_note?: string;
}

export interface LeafletDocument {
  id: string;
  file: string;
  markdown: string;
  meta: Record<string, unknown>;
  sections: { id: string; heading: string }[];
}

export class KnowledgeEditError extends Error {
  override name = 'KnowledgeEditError';
  constructor(
    readonly code: 'not_found' | 'invalid' | 'exists',
    message: string,
    readonly problems: string[] = [],
  ) {
    super(message);
  }
}

export interface LexiconDocument {
  abbreviations: Record<string, string>;
  synonyms: string[][];
}

const lexiconSchema = z
  .object({
    abbreviations: z.record(
      z.string().trim().min(1).max(40),
      z.string().trim().min(1, 'dạng đầy đủ không được để trống').max(200),
    ),
    synonyms: z.array(z.array(z.string().trim().min(1).max(200)).min(2, 'mỗi nhóm cần ít nhất 2 cụm từ')),
  })
  .strict();

function summary(leaflet: Leaflet): LeafletSummary {
  const { meta } = leaflet;
  return {
    id: meta.id,
    title: meta.title,
    topic: meta.topic,
    file: leaflet.file,
    sources: meta.sources,
    sections: leaflet.sections.length,
    valid_from: meta.valid_from,
    review_by: meta.review_by,
    outdated_note: meta.outdated_note,
  };
}

/** The text as it is stored: NFC, Unix line ends, ending with a line break. */
function normalised(markdown: string): string {
  const text = nfc(markdown).replace(/\r\n?/g, '\n');
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** Writes through a temporary file and a rename, so a reader never sees half a file. */
async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, file);
}

/** One group per line, as the shipped file is written: `- [nghỉ phép, phép năm]`. */
function synonymsYaml(groups: string[][]): string {
  const phrase = (p: string) => (/[,[\]{}:#"'&*!|>%@`]|^\s|\s$/.test(p) ? JSON.stringify(p) : p);
  return groups.map((g) => `- [${g.map(phrase).join(', ')}]`).join('\n') + '\n';
}

/** Leading comment lines of a YAML file, kept when an admin saves it from the console. */
async function headerComments(file: string): Promise<string> {
  try {
    const lines = (await readFile(file, 'utf8')).split('\n');
    const header: string[] = [];
    for (const line of lines) {
      if (!line.startsWith('#')) break;
      header.push(line);
    }
    return header.length ? `${header.join('\n')}\n` : '';
  } catch {
    return '';
  }
}

/**
 * Admins' edits to knowledge/: leaflets (Markdown with front matter) and the lexicon. Every leaflet is
 * checked with the same rules as `npm run knowledge:check` before it is written: its sources must be
 * shipped articles and every number it states must appear in the articles it cites. A leaflet that breaks
 * a rule is refused with the list of problems, never written.
 */
export class KnowledgeEditor {
  constructor(private readonly knowledgeDir: string) {}

  private absolute(file: string): string {
    const resolved = path.resolve(this.knowledgeDir, file);
    const leaflets = path.resolve(this.knowledgeDir, 'leaflets') + path.sep;
    if (!resolved.startsWith(leaflets) || !resolved.endsWith('.md'))
      throw new KnowledgeEditError('invalid', 'Tệp tờ rơi phải là tệp .md trong thư mục knowledge/leaflets/');
    return resolved;
  }

  async list(): Promise<LeafletSummary[]> {
    const corpus = await loadCorpus(this.knowledgeDir);
    return corpus.leaflets.map(summary).sort((a, b) => a.topic.localeCompare(b.topic) || a.id.localeCompare(b.id));
  }

  private async find(id: string, corpus?: Corpus): Promise<Leaflet> {
    corpus ??= await loadCorpus(this.knowledgeDir);
    const leaflet = corpus.leaflets.find((l) => l.meta.id === id);
    if (!leaflet) throw new KnowledgeEditError('not_found', `Không có tờ rơi "${id}"`);
    return leaflet;
  }

  async read(id: string): Promise<LeafletDocument> {
    const leaflet = await this.find(id);
    const markdown = await readFile(path.join(this.knowledgeDir, leaflet.file), 'utf8');
    return {
      id,
      file: leaflet.file,
      markdown,
      meta: leaflet.meta,
      sections: leaflet.sections.map((s) => ({ id: s.id, heading: s.question })),
    };
  }

  /**
   * The problems of `markdown` as the leaflet in `file` (replacing what that file holds now), checked
   * against the shipped laws and the other leaflets (`corpus`: as already read by the caller).
   */
  async validate(
    markdown: string,
    file = 'leaflets/_moi.md',
    corpus?: Corpus,
  ): Promise<{ leaflet?: Leaflet; problems: string[] }> {
    let leaflet: Leaflet;
    try {
      leaflet = parseLeaflet(file, markdown);
    } catch (err) {
      if (err instanceof CorpusError) return { problems: [err.message] };
      throw err;
    }
    corpus ??= await loadCorpus(this.knowledgeDir);
    const others = corpus.leaflets.filter((l) => l.file !== file);
    const allowList = await loadAllowList(path.join(this.knowledgeDir, 'leaflets', 'number-allowlist.yaml'));
    const problems = checkContent({ laws: corpus.laws, leaflets: [...others, leaflet] }, allowList)
      .filter((p) => p.file === file)
      .map((p) => (p.section ? `${p.section}: ${p.message}` : p.message));
    return { leaflet, problems };
  }

  private async validOrThrow(markdown: string, file: string, corpus: Corpus): Promise<Leaflet> {
    const { leaflet, problems } = await this.validate(markdown, file, corpus);
    if (!leaflet || problems.length > 0)
      throw new KnowledgeEditError('invalid', `Tờ rơi chưa đúng quy tắc: ${problems.join('; ')}`, problems);
    return leaflet;
  }

  async create(markdown: string, file?: string): Promise<LeafletSummary> {
    const text = normalised(markdown);
    const front = /^---\n([\s\S]*?)\n---/.exec(text);
    const meta = (front ? (parseYaml(front[1]!) as { id?: unknown; topic?: unknown } | null) : null) ?? {};
    const target =
      file ?? `leaflets/${typeof meta.topic === 'string' ? meta.topic : 'khac'}/${typeof meta.id === 'string' ? meta.id : 'moi'}.md`;
    const absolute = this.absolute(target);
    const relative = path.relative(this.knowledgeDir, absolute);
    const corpus = await loadCorpus(this.knowledgeDir);
    const leaflet = await this.validOrThrow(text, relative, corpus);
    const existing = corpus.leaflets;
    if (existing.some((l) => l.meta.id === leaflet.meta.id))
      throw new KnowledgeEditError('exists', `Đã có tờ rơi mã "${leaflet.meta.id}"`);
    if (existing.some((l) => l.file === relative))
      throw new KnowledgeEditError('exists', `Tệp ${relative} đã tồn tại`);
    await writeAtomically(absolute, text);
    return summary(leaflet);
  }

  async update(id: string, markdown: string): Promise<LeafletSummary> {
    const corpus = await loadCorpus(this.knowledgeDir);
    const current = await this.find(id, corpus);
    const text = normalised(markdown);
    const leaflet = await this.validOrThrow(text, current.file, corpus);
    if (leaflet.meta.id !== id)
      throw new KnowledgeEditError('invalid', `Không đổi được mã tờ rơi (đang là "${id}"); hãy tạo tờ rơi mới`);
    await writeAtomically(this.absolute(current.file), text);
    return summary(leaflet);
  }

  async remove(id: string): Promise<void> {
    const current = await this.find(id);
    await unlink(this.absolute(current.file));
  }

  private lexiconFile(name: string): string {
    return path.join(this.knowledgeDir, 'lexicon', name);
  }

  async readLexicon(): Promise<LexiconDocument> {
    const read = async (name: string) => {
      try {
        return parseYaml(nfc(await readFile(this.lexiconFile(name), 'utf8'))) as unknown;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    };
    const abbreviations = ((await read('abbreviations.yaml')) ?? {}) as Record<string, string>;
    const synonyms = ((await read('synonyms.yaml')) ?? []) as string[][];
    return { abbreviations, synonyms };
  }

  async writeLexicon(input: LexiconDocument): Promise<LexiconDocument> {
    const parsed = lexiconSchema.safeParse(input);
    if (!parsed.success)
      throw new KnowledgeEditError(
        'invalid',
        `Từ điển chưa hợp lệ: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    const abbreviations = Object.fromEntries(
      Object.entries(parsed.data.abbreviations).map(([k, v]) => [nfc(k).toLowerCase(), nfc(v)]),
    );
    const synonyms = parsed.data.synonyms.map((g) => g.map(nfc));
    for (const [name, value] of [
      ['abbreviations.yaml', abbreviations],
      ['synonyms.yaml', synonyms],
    ] as const) {
      const file = this.lexiconFile(name);
      const body = name === 'synonyms.yaml' ? synonymsYaml(synonyms) : stringifyYaml(value, { lineWidth: 0 });
      await writeAtomically(file, `${await headerComments(file)}${body}`);
    }
    return { abbreviations, synonyms };
  }
}
