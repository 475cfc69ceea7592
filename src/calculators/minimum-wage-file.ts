import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { lawSchema } from '../knowledge/corpus.js';
import { lawFileName } from '../knowledge/laws-import.js';
import { MinimumWageDataError, parseMinimumWageFile, REGIONS, type MinimumWageData } from './minimum-wage.js';

/**
 * knowledge/data/minimum-wage.json on disk. Every read checks the file's modification time and size and
 * parses it again when either changed, so an edit (by the admin API or by hand) is used by the next lookup
 * in every process without a restart. Writes go through a temporary file and a rename.
 */
export class MinimumWageFile {
  readonly file: string;
  private cached?: { mtimeMs: number; size: number; data: MinimumWageData };

  constructor(readonly knowledgeDir: string) {
    this.file = path.join(knowledgeDir, 'data', 'minimum-wage.json');
  }

  /** The validated data, or undefined when the file does not exist. Throws {@link MinimumWageDataError}. */
  async load(): Promise<MinimumWageData | undefined> {
    let info;
    try {
      info = await stat(this.file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    if (this.cached && this.cached.mtimeMs === info.mtimeMs && this.cached.size === info.size)
      return this.cached.data;
    const text = await readFile(this.file, 'utf8');
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new MinimumWageDataError([`${this.file} không phải JSON hợp lệ (${(err as Error).message})`]);
    }
    const data = parseMinimumWageFile(raw);
    this.cached = { mtimeMs: info.mtimeMs, size: info.size, data };
    return data;
  }

  /**
   * Validates `raw` (the whole file), checks every amount against the cited article of the shipped law, and
   * writes it atomically. Returns the stored data.
   */
  async write(raw: unknown): Promise<MinimumWageData> {
    const data = parseMinimumWageFile(raw);
    await this.checkAgainstLaw(data);
    await mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(tmp, `${JSON.stringify(data, null, 2)}\n`, 'utf8');
      await rename(tmp, this.file);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
    this.cached = undefined;
    return data;
  }

  /** The amounts must be written in the cited article, and the effective date must be the law's. */
  private async checkAgainstLaw(data: MinimumWageData): Promise<void> {
    const lawFile = path.join(this.knowledgeDir, 'laws', lawFileName(data.legal_source));
    let law;
    try {
      law = lawSchema.parse(JSON.parse(await readFile(lawFile, 'utf8')));
    } catch {
      throw new MinimumWageDataError([
        `legal_source: văn bản ${data.legal_source} chưa có trong knowledge/laws/ (cần nhập văn bản trước bằng npm run laws:import)`,
      ]);
    }
    const article = law.articles.find((a) => a.article === data.article);
    if (!article)
      throw new MinimumWageDataError([`article: văn bản ${data.legal_source} không có Điều ${data.article}`]);
    const problems: string[] = [];
    for (const r of REGIONS) {
      for (const kind of ['monthly', 'hourly'] as const) {
        const written = data.regions[r][kind].toLocaleString('vi-VN');
        if (!article.text.includes(written)) {
          problems.push(
            `regions.${r}.${kind}: ${written} không có trong Điều ${data.article} văn bản ${data.legal_source}`,
          );
        }
      }
    }
    if (law.effective && law.effective !== data.effective) {
      problems.push(
        `effective: văn bản ${data.legal_source} có hiệu lực từ ${law.effective}, không phải ${data.effective}`,
      );
    }
    if (problems.length) throw new MinimumWageDataError(problems);
  }
}

const files = new Map<string, MinimumWageFile>();

/** One instance per knowledge directory, so its parse cache is shared by the chat and the admin API. */
export function minimumWageFile(knowledgeDir: string): MinimumWageFile {
  const dir = path.resolve(knowledgeDir);
  let file = files.get(dir);
  if (!file) {
    file = new MinimumWageFile(dir);
    files.set(dir, file);
  }
  return file;
}
