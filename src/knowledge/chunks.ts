import type { Corpus, Law } from './corpus.js';
import { lawName } from './corpus.js';
import type { Citation } from './types.js';
import { topicsOf } from './topics.js';

/**
 * A retrievable piece of the corpus: a short article, one clause (khoản) of a long article, or a leaflet
 * section. Each chunk carries what an answer needs: its citations, topics and validity dates.
 */
export interface Chunk {
  id: string;
  kind: 'article' | 'clause' | 'leaflet';
  /** Article or clause heading, or the leaflet question. */
  title: string;
  text: string;
  /** Words around the chunk that help find it: the leaflet's title and tags, or the law's name. */
  context?: string;
  /** Other phrasings of a leaflet question; searched like the title, never shown. */
  alternates?: string[];
  citations: Citation[];
  topics: string[];
  /** First day the rule applies (law in force / leaflet valid from). */
  validFrom?: string;
  /** First day it no longer applies (the day the replacing law took effect), when known. */
  validTo?: string;
  /** The law that replaced this one: answers from it must say the rule may have changed. */
  supersededBy?: string;
  lawId?: string;
  lawName?: string;
  article?: string;
  clause?: string;
  leafletId?: string;
  leafletTitle?: string;
  /** Leaflet note about an outdated source, shown with the answer. */
  outdatedNote?: string;
}

/** Articles longer than this are split into clauses, so an answer quotes the part that matters. */
const MAX_ARTICLE_CHARS = 900;

/**
 * Splits an article's text at its clause numbers ("1.", "2." at the start of a line), in sequence and outside
 * quotation marks: amending articles quote whole articles whose own clauses must stay inside the quote.
 */
export function splitClauses(text: string): { clause: string; text: string }[] {
  const clauses: { clause: string; lines: string[] }[] = [];
  const intro: string[] = [];
  let quoteDepth = 0;
  for (const line of text.split('\n')) {
    const n = /^(\d+)\.\s/.exec(line)?.[1];
    if (n !== undefined && quoteDepth <= 0 && Number(n) === clauses.length + 1) clauses.push({ clause: n, lines: [line] });
    else (clauses.at(-1)?.lines ?? intro).push(line);
    quoteDepth += (line.match(/“/g)?.length ?? 0) - (line.match(/”/g)?.length ?? 0);
  }
  return clauses.map((c, i) => ({
    clause: c.clause,
    // The sentence before clause 1 ("Người lao động được nghỉ … trong các trường hợp sau:") belongs to it.
    text: [...(i === 0 ? intro : []), ...c.lines].join('\n'),
  }));
}

function lawChunks(law: Law, replacedOn: Map<string, string>, topics: string[]): Chunk[] {
  const name = lawName(law);
  const base = {
    topics,
    validFrom: law.effective,
    validTo: law.superseded_by ? replacedOn.get(law.superseded_by) : undefined,
    supersededBy: law.superseded_by,
    lawId: law.law_id,
    lawName: name,
    context: name,
    outdatedNote: law.answer_note,
  };
  return law.articles.flatMap((a): Chunk[] => {
    const heading = `Điều ${a.article}. ${a.title}`.trim();
    const clauses = a.text.length > MAX_ARTICLE_CHARS ? splitClauses(a.text) : [];
    if (clauses.length < 2) {
      return [
        {
          ...base,
          id: `${law.law_id}:${a.article}`,
          kind: 'article',
          title: heading,
          text: a.text,
          citations: [{ lawId: law.law_id, article: a.article }],
          article: a.article,
        },
      ];
    }
    return clauses.map((c) => ({
      ...base,
      id: `${law.law_id}:${a.article}#${c.clause}`,
      kind: 'clause' as const,
      title: heading,
      text: c.text,
      citations: [{ lawId: law.law_id, article: a.article, clause: c.clause }],
      article: a.article,
      clause: c.clause,
    }));
  });
}

export function buildChunks(corpus: Corpus): Chunk[] {
  const replacedOn = new Map(corpus.laws.filter((l) => l.effective).map((l) => [l.law_id, l.effective!]));
  const lawTopics = new Map(corpus.laws.map((l) => [l.law_id, l.topics ?? []]));
  const chunks = corpus.laws.flatMap((l) => lawChunks(l, replacedOn, lawTopics.get(l.law_id) ?? []));
  for (const leaflet of corpus.leaflets) {
    for (const s of leaflet.sections) {
      chunks.push({
        id: s.id,
        kind: 'leaflet',
        title: s.question,
        text: s.answer,
        citations: s.citations,
        topics: topicsOf(leaflet.meta.topic),
        validFrom: leaflet.meta.valid_from,
        context: [leaflet.meta.title, ...leaflet.meta.tags].join(', '),
        alternates: s.alternates.length ? s.alternates : undefined,
        leafletId: leaflet.meta.id,
        leafletTitle: leaflet.meta.title,
        outdatedNote: leaflet.meta.outdated_note,
      });
    }
  }
  return chunks;
}

/** Whether a chunk states a rule in force on `day` (YYYY-MM-DD); superseded rules are "outdated", not gone. */
export function validity(chunk: Chunk, day: string): 'current' | 'outdated' | 'future' {
  if (chunk.validFrom && chunk.validFrom > day) return 'future';
  if ((chunk.validTo && chunk.validTo <= day) || (chunk.supersededBy && !chunk.validTo)) return 'outdated';
  return 'current';
}
