/**
 * Vietnamese text normalisation shared by the conversation layer (keyword triggers, choices) and the
 * knowledge index. Workers often type without diacritics, so every comparison that must "work without
 * diacritics" goes through {@link fold}.
 */

const COMBINING_MARKS = /[\u0300-\u036f]/g;

/** Canonical composed form: decomposed input (e.g. from some iOS keyboards) becomes NFC. */
export function nfc(text: string): string {
  return text.normalize('NFC');
}

/** Lowercase, NFC, without diacritics, with đ → d: "Nghỉ Phép" → "nghi phep". */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .normalize('NFC');
}

/** Lowercase NFC with diacritics kept: "Nghỉ Phép" → "nghỉ phép". */
export function lowerNfc(text: string): string {
  return nfc(text).toLowerCase();
}

/** Splits into word tokens (letters and digits, Vietnamese letters included); punctuation separates. */
export function words(text: string): string[] {
  return lowerNfc(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Folded tokens joined by single spaces: the form used to compare short commands and choices. */
export function matchKey(text: string): string {
  return words(fold(text)).join(' ');
}

// Polite particles and fillers that end short commands ("menu ạ", "huỷ nhé", "gặp cán bộ với").
const TRAILING_PARTICLES = new Set(['a', 'nhe', 'nha', 'nhen', 'di', 'voi', 'luon', 'ha', 'ak', 'ah', 'oi', 'nhe']);

/** {@link matchKey} without trailing particles: "Menu ạ!" → "menu". */
export function commandKey(text: string): string {
  const tokens = matchKey(text).split(' ').filter(Boolean);
  while (tokens.length > 1 && TRAILING_PARTICLES.has(tokens[tokens.length - 1]!)) tokens.pop();
  return tokens.join(' ');
}

/** True when `phrase`'s folded tokens occur as a contiguous run inside `text`'s folded tokens. */
export function containsPhrase(text: string, phrase: string): boolean {
  const hay = ` ${matchKey(text)} `;
  const needle = matchKey(phrase);
  return needle.length > 0 && hay.includes(` ${needle} `);
}
