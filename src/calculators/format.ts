import type { OutMessage } from '../conversation/messages.js';
import { LAW_NAMES, type CalculationResult, type LegalCitation } from './common.js';

/**
 * A calculation as the worker reads it in chat: the result, the rule in words, the articles it rests on, any
 * notice about the law texts, and the standard note that the union can check the worker's own case.
 */
export function resultMessage(result: CalculationResult, lawNotices: string[] = []): OutMessage {
  const lines = [
    ...result.summary,
    '',
    `Cách tính: ${result.rule}`,
    ...result.notes.map((n) => `• ${n}`),
    '',
    `Căn cứ: ${citationLine(result.citations)}.`,
    ...lawNotices,
    result.note,
  ];
  return {
    text: lines.join('\n').replace(/\n{3,}/g, '\n\n'),
    citations: result.citations.map((c) => ({
      lawId: c.lawId,
      article: c.article,
      ...(c.clause ? { clause: c.clause } : {}),
    })),
  };
}

/** The reasons an input was refused, in one message. */
export function refusalMessage(problems: string[]): OutMessage {
  return { text: `Mình chưa tính được vì:\n${problems.map((p) => `• ${p}`).join('\n')}` };
}

/**
 * Citations grouped by law and article, short enough for a phone: "khoản 1, 2 Điều 98, Điều 114 Bộ luật Lao
 * động 2019; khoản 3 Điều 8 Nghị định 145/2020/NĐ-CP". An article cited as a whole is named without clauses.
 */
export function citationLine(citations: LegalCitation[], names: Record<string, string> = LAW_NAMES): string {
  const laws = new Map<string, Map<string, Set<string> | 'whole'>>();
  for (const c of citations) {
    const articles = laws.get(c.lawId) ?? new Map<string, Set<string> | 'whole'>();
    laws.set(c.lawId, articles);
    const clauses = articles.get(c.article);
    if (!c.clause) articles.set(c.article, 'whole');
    else if (clauses !== 'whole') articles.set(c.article, (clauses ?? new Set<string>()).add(c.clause));
  }
  return [...laws]
    .map(([lawId, articles]) => {
      const parts = [...articles].map(([article, clauses]) =>
        clauses === 'whole' ? `Điều ${article}` : `khoản ${[...clauses].join(', ')} Điều ${article}`,
      );
      return `${parts.join(', ')} ${names[lawId] ?? lawId}`;
    })
    .join('; ');
}
