import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { matchKey } from '../knowledge/normalize.js';

const patternSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]*$/),
    name: z.string().min(1),
    /** The leaflet section whose answer (with its citation) is the warning. */
    section: z.string().regex(/^[a-z0-9-]+#\d+$/, 'mục tờ rơi dạng "ma-to-roi#2"'),
    strong: z.array(z.string().min(1)).default([]),
    signals: z.array(z.string().min(1)).min(1),
    do_now: z.array(z.string().min(1)).min(1),
  })
  .strict();

export const scamPatternsSchema = z.object({ patterns: z.array(patternSchema).min(1) }).strict();
export type ScamPattern = z.infer<typeof patternSchema>;

export interface ScamMatch {
  pattern: ScamPattern;
  score: number;
  /** The phrases found, for the officer reading logs and for tests. */
  found: string[];
}

/** Links and short links in a message are a warning sign of their own. */
const LINK =
  /(https?:\/\/|www\.|\b[a-z0-9-]+\.(?:com|net|vn|xyz|top|info|cc|io|link|site|online|app)\b|bit\.ly|tinyurl)/i;

export const MIN_SCORE = 3;

/**
 * The scam patterns of knowledge/scam-patterns.yaml, matched against a pasted message or a described
 * call: strong phrases count 2, ordinary signals 1, whole words without diacritics.
 */
export class ScamPatterns {
  private readonly compiled: {
    pattern: ScamPattern;
    strong: [string, string][];
    signals: [string, string][];
  }[];

  constructor(readonly patterns: ScamPattern[]) {
    this.compiled = patterns.map((pattern) => ({
      pattern,
      strong: pattern.strong.map((p) => [p, matchKey(p)] as [string, string]),
      signals: pattern.signals.map((p) => [p, matchKey(p)] as [string, string]),
    }));
  }

  static async load(knowledgeDir: string): Promise<ScamPatterns> {
    const file = path.join(knowledgeDir, 'scam-patterns.yaml');
    let raw: string;
    try {
      raw = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new ScamPatterns([]);
      throw err;
    }
    const parsed = scamPatternsSchema.safeParse(parseYaml(raw));
    if (!parsed.success)
      throw new Error(
        `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    return new ScamPatterns(parsed.data.patterns);
  }

  /** Patterns that fit, best first. */
  match(text: string): ScamMatch[] {
    const padded = ` ${matchKey(text)} `;
    const out: ScamMatch[] = [];
    for (const { pattern, strong, signals } of this.compiled) {
      const found: string[] = [];
      let score = 0;
      for (const [original, k] of strong)
        if (k && padded.includes(` ${k} `)) {
          score += 2;
          found.push(original);
        }
      for (const [original, k] of signals)
        if (k && padded.includes(` ${k} `)) {
          score += 1;
          found.push(original);
        }
      if (score >= MIN_SCORE) out.push({ pattern, score, found });
    }
    return out.sort((a, b) => b.score - a.score);
  }

  hasLink(text: string): boolean {
    return LINK.test(text);
  }
}

/** The patterns file, read again when an admin changes it (checked by modification time). */
export class ScamLibrary {
  private cached?: { mtimeMs: number; patterns: ScamPatterns };

  constructor(private readonly knowledgeDir: string) {}

  async get(): Promise<ScamPatterns> {
    const mtimeMs = await stat(path.join(this.knowledgeDir, 'scam-patterns.yaml')).then(
      (s) => s.mtimeMs,
      () => 0,
    );
    if (this.cached?.mtimeMs !== mtimeMs)
      this.cached = { mtimeMs, patterns: await ScamPatterns.load(this.knowledgeDir) };
    return this.cached.patterns;
  }
}
