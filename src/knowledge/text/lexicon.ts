import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { fold, matchKey, nfc } from '../normalize.js';

/**
 * The words of workers: abbreviations and chat spellings (bhxh, hđlđ, ko, dc), synonym groups (nghỉ phép ~
 * nghỉ hằng năm) and stop words, kept as data in knowledge/lexicon/ so admins can extend them.
 */
export interface Lexicon {
  /** Folded abbreviation → expansion with diacritics ("hdld" → "hợp đồng lao động"). */
  abbreviations: Map<string, string>;
  /** Each group: phrases as folded keys ("nghi phep"), with their original spelling. */
  synonyms: { key: string; phrase: string }[][];
  /** Stop words typed with (or without needing) diacritics: "là", "của". */
  stopAccented: Set<string>;
  /** Stop words typed without diacritics, only those that are unambiguous once folded: "cua", "la". */
  stopFolded: Set<string>;
  /** Question phrases ("bao lâu", "như thế nào") as folded keys: they ask, they do not say what about. */
  questionPhrases: string[];
}

export const EMPTY_LEXICON: Lexicon = {
  abbreviations: new Map(),
  synonyms: [],
  stopAccented: new Set(),
  stopFolded: new Set(),
  questionPhrases: [],
};

const abbreviationsSchema = z.record(z.string().min(1), z.string().min(1));
const synonymsSchema = z.array(z.array(z.string().min(1)).min(2));

export class LexiconError extends Error {
  override name = 'LexiconError';
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export function parseStopwords(text: string): { accented: Set<string>; folded: Set<string>; phrases: string[] } {
  const accented = new Set<string>();
  const folded = new Set<string>();
  const phrases: string[] = [];
  let section: 'accented' | 'folded' | 'phrases' = 'accented';
  for (const raw of nfc(text).split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    if (/^\[không dấu\]$/i.test(line)) section = 'folded';
    else if (/^\[có dấu\]$/i.test(line)) section = 'accented';
    else if (/^\[cụm hỏi\]$/i.test(line)) section = 'phrases';
    else if (section === 'phrases') phrases.push(...line.split(',').map((p) => matchKey(p)).filter(Boolean));
    else for (const w of line.toLowerCase().split(/\s+/)) (section === 'folded' ? folded : accented).add(w);
  }
  // Longest first, so "như thế nào" goes before "thế nào".
  return { accented, folded, phrases: phrases.sort((a, b) => b.length - a.length) };
}

/** Reads knowledge/lexicon/ (abbreviations.yaml, synonyms.yaml, stopwords.txt); missing files mean empty. */
export async function loadLexicon(dir: string): Promise<Lexicon> {
  const [abbrText, synText, stopText] = await Promise.all([
    readOptional(path.join(dir, 'abbreviations.yaml')),
    readOptional(path.join(dir, 'synonyms.yaml')),
    readOptional(path.join(dir, 'stopwords.txt')),
  ]);
  const abbreviations = new Map<string, string>();
  if (abbrText) {
    const parsed = abbreviationsSchema.safeParse(parseYaml(nfc(abbrText)) ?? {});
    if (!parsed.success) throw new LexiconError(`abbreviations.yaml: ${parsed.error.issues[0]?.message}`);
    for (const [k, v] of Object.entries(parsed.data)) abbreviations.set(matchKey(k), nfc(v));
  }
  const synonyms: Lexicon['synonyms'] = [];
  if (synText) {
    const parsed = synonymsSchema.safeParse(parseYaml(nfc(synText)) ?? []);
    if (!parsed.success) throw new LexiconError(`synonyms.yaml: ${parsed.error.issues[0]?.message}`);
    for (const group of parsed.data) synonyms.push(group.map((phrase) => ({ key: matchKey(phrase), phrase: nfc(phrase) })));
  }
  const stop = stopText ? parseStopwords(stopText) : { accented: new Set<string>(), folded: new Set<string>(), phrases: [] };
  return {
    abbreviations,
    synonyms,
    stopAccented: stop.accented,
    stopFolded: new Set([...stop.folded].map(fold)),
    questionPhrases: stop.phrases,
  };
}

/** Lexicon files' text, for the corpus hash (an edited lexicon means a rebuilt index). */
export async function lexiconSource(dir: string): Promise<string> {
  const parts = await Promise.all(
    ['abbreviations.yaml', 'synonyms.yaml', 'stopwords.txt'].map(async (f) => `${f}\n${(await readOptional(path.join(dir, f))) ?? ''}`),
  );
  return parts.join('\n');
}
