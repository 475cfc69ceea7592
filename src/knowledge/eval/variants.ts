import { fold } from '../normalize.js';
import type { Lexicon } from '../text/lexicon.js';

export type QuestionVariant = 'as-written' | 'no-diacritics' | 'abbreviated';

/**
 * Rewrites a question the way many workers type it, to measure how much recall that costs:
 * without diacritics, or with the lexicon's abbreviations put back ("bảo hiểm xã hội" → "bhxh").
 */
export function rewriteQuestion(question: string, variant: QuestionVariant, lexicon: Lexicon): string {
  if (variant === 'no-diacritics') return fold(question);
  if (variant === 'as-written') return question;
  // Multi-word expansions only (longest first): single words like "không" → "ko" are tried too, but a
  // one-letter abbreviation would be too aggressive to be realistic.
  const pairs = [...lexicon.abbreviations]
    .filter(([abbr, expansion]) => abbr.length >= 2 && expansion.length > abbr.length)
    .sort((a, b) => b[1].length - a[1].length);
  let out = question;
  for (const [abbr, expansion] of pairs) {
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${expansion.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'giu');
    out = out.replace(pattern, abbr);
  }
  return out;
}
