import { fold, nfc } from '../normalize.js';
import type { Lexicon } from './lexicon.js';

/**
 * Turns Vietnamese text into search terms. Both the accented and the folded form of every syllable are
 * indexed, so "nghi phep" finds "nghỉ phép" while a question typed with diacritics still prefers exact
 * matches; syllable pairs are indexed too, because most Vietnamese words have two syllables.
 *
 * Term namespaces: `f:` folded syllable, `a:` accented syllable (only when it has diacritics), `F:` folded
 * pair, `A:` accented pair (only when one of its syllables has diacritics).
 */

const TOKEN = /[\p{L}\p{N}]+(?:[.,]\d+)*/gu;
const COMBINING = /[\u0300-\u036f]/;

// Old-style tone placement ("hoà", "thuỷ") and new style ("hòa", "thủy") occur side by side in official
// texts; the accented index uses one of them. Tone marks in NFD: grave, acute, hook, tilde, dot below.
const TONE = /[\u0300\u0301\u0309\u0303\u0323]/;
const OLD_STYLE = /^(.*?)(o|u)(a|e|y)([\u0300\u0301\u0309\u0303\u0323])$/u;

/** "hoà" → "hòa", "thuỷ" → "thủy"; "quý", "hoàng" and words with other shapes are left alone. */
export function normalizeTonePlacement(word: string): string {
  const d = word.normalize('NFD');
  const m = OLD_STYLE.exec(d);
  if (!m) return word;
  const [, head = '', first, second, tone] = m;
  // In "qu" the u is part of the consonant, so "quý" is already standard.
  if (first === 'u' && head.endsWith('q')) return word;
  if (first === 'u' && second !== 'y') return word;
  if (first === 'o' && second === 'y') return word;
  if (TONE.test(head.slice(-1))) return word;
  return `${head}${first}${tone}${second}`.normalize('NFC');
}

export function hasDiacritics(token: string): boolean {
  return token.includes('đ') || COMBINING.test(token.normalize('NFD'));
}

/** Lowercase NFC tokens with standard tone placement; numbers keep their separators ("1.500.000", "50%"). */
export function tokenize(text: string): string[] {
  // Laws write "150%", workers "150 phần trăm": index both ways.
  const spelled = nfc(text).toLowerCase().replace(/(\d)\s?%/g, '$1 phần trăm');
  return (spelled.match(TOKEN) ?? []).map(normalizeTonePlacement);
}

export interface QueryAnalysis {
  /** Term → weight, for the lexical index. */
  terms: Map<string, number>;
  /** Folded content syllables, in order, after expanding abbreviations (coverage is measured on these). */
  contentWords: string[];
  /** Synonym groups the question mentions: each alternative as its folded content syllables. */
  synonymAlternatives: string[][][];
  /** The question with abbreviations written out ("bhxh" → "bảo hiểm xã hội"), for embeddings. */
  expandedText: string;
}

const WEIGHT = { folded: 1, accented: 0.6, foldedPair: 1.2, accentedPair: 0.6, synonym: 0.5 } as const;

export class Analyzer {
  constructor(private readonly lexicon: Lexicon) {}

  isStop(token: string): boolean {
    if (hasDiacritics(token)) return this.lexicon.stopAccented.has(token);
    return this.lexicon.stopAccented.has(token) || this.lexicon.stopFolded.has(token);
  }

  /** Writes out abbreviations typed without diacritics (a typed "à" is not the abbreviation "a"). */
  expand(tokens: string[]): string[] {
    return tokens.flatMap((t) => {
      const expansion = fold(t) === t.replace(/đ/g, 'd') ? this.lexicon.abbreviations.get(fold(t)) : undefined;
      return expansion ? tokenize(expansion) : [t];
    });
  }

  /** Terms of a document text (laws and leaflets are written in full, so no abbreviation expansion). */
  indexTerms(text: string): string[] {
    return this.terms(tokenize(text)).map(([term]) => term);
  }

  private terms(tokens: string[]): [string, number][] {
    const out: [string, number][] = [];
    const keep = tokens.map((t) => !this.isStop(t));
    tokens.forEach((t, i) => {
      if (!keep[i]) return;
      out.push([`f:${fold(t)}`, WEIGHT.folded]);
      if (hasDiacritics(t)) out.push([`a:${t}`, WEIGHT.accented]);
      const next = tokens[i + 1];
      if (next !== undefined && keep[i + 1]) {
        out.push([`F:${fold(t)}_${fold(next)}`, WEIGHT.foldedPair]);
        if (hasDiacritics(t) || hasDiacritics(next)) out.push([`A:${t}_${next}`, WEIGHT.accentedPair]);
      }
    });
    return out;
  }

  /** Drops question phrases ("bao lâu", "có được không"): matched on folded words, whole words only. */
  private withoutQuestionPhrases(tokens: string[]): string[] {
    if (this.lexicon.questionPhrases.length === 0) return tokens;
    const folded = tokens.map(fold);
    const drop = new Array<boolean>(tokens.length).fill(false);
    for (const phrase of this.lexicon.questionPhrases) {
      const words = phrase.split(' ');
      for (let i = 0; i + words.length <= folded.length; i++) {
        if (words.every((w, j) => folded[i + j] === w)) for (let j = 0; j < words.length; j++) drop[i + j] = true;
      }
    }
    return tokens.filter((_, i) => !drop[i]);
  }

  analyzeQuery(text: string): QueryAnalysis {
    const tokens = this.withoutQuestionPhrases(this.expand(tokenize(text)));
    const terms = new Map<string, number>();
    const add = (term: string, weight: number) => terms.set(term, Math.max(terms.get(term) ?? 0, weight));
    for (const [term, weight] of this.terms(tokens)) add(term, weight);

    const foldedSeq = ` ${tokens.map(fold).join(' ')} `;
    const synonymAlternatives: string[][][] = [];
    for (const group of this.lexicon.synonyms) {
      if (!group.some((g) => foldedSeq.includes(` ${g.key} `))) continue;
      const alternatives = group.map((g) => tokenize(g.phrase).filter((t) => !this.isStop(t)).map(fold));
      synonymAlternatives.push(alternatives);
      for (const g of group) {
        if (foldedSeq.includes(` ${g.key} `)) continue;
        for (const [term] of this.terms(tokenize(g.phrase))) {
          if (term.startsWith('f:') || term.startsWith('F:')) add(term, WEIGHT.synonym);
        }
      }
    }
    return {
      terms,
      contentWords: tokens.filter((t) => !this.isStop(t)).map(fold),
      synonymAlternatives,
      expandedText: tokens.join(' '),
    };
  }
}
