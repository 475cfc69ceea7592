import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { lawName, lawSchema } from '../knowledge/corpus.js';
import { lawFileName } from '../knowledge/laws-import.js';
import type { LegalCitation } from './common.js';

/**
 * What a worker must be told about the law texts a calculation cites: a text replaced by a newer one
 * (`superseded_by`), a text not yet in force, or the law's own `answer_note`. Read from knowledge/laws/ so
 * that a later import marking a law as superseded shows up here without a code change.
 */

interface LawStatus {
  name: string;
  effective?: string;
  supersededBy?: string;
  answerNote?: string;
}

const cache = new Map<string, { mtimeMs: number; status: LawStatus }>();

async function readStatus(knowledgeDir: string, lawId: string): Promise<LawStatus | undefined> {
  const file = path.join(knowledgeDir, 'laws', lawFileName(lawId));
  let mtimeMs: number;
  try {
    mtimeMs = (await stat(file)).mtimeMs;
  } catch {
    return undefined;
  }
  const hit = cache.get(file);
  if (hit && hit.mtimeMs === mtimeMs) return hit.status;
  const parsed = lawSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.success) return undefined;
  const law = parsed.data;
  const status: LawStatus = {
    name: lawName(law),
    effective: law.effective,
    supersededBy: law.superseded_by,
    answerNote: law.answer_note,
  };
  cache.set(file, { mtimeMs, status });
  return status;
}

/** One notice per cited law that is superseded, not yet in force on `today` (YYYY-MM-DD), or carries a note. */
export async function lawNotices(
  knowledgeDir: string | undefined,
  citations: LegalCitation[],
  today: string,
): Promise<string[]> {
  if (!knowledgeDir) return [];
  const notices: string[] = [];
  for (const lawId of [...new Set(citations.map((c) => c.lawId))]) {
    const status = await readStatus(knowledgeDir, lawId);
    if (!status) continue;
    if (status.supersededBy) {
      notices.push(
        `Lưu ý: ${status.name} đã được thay thế bởi văn bản số ${status.supersededBy}, quy định hiện hành có thể đã khác. Bạn nên hỏi cán bộ công đoàn.`,
      );
    } else if (status.effective && status.effective > today) {
      notices.push(
        `Lưu ý: ${status.name} có hiệu lực từ ${status.effective.split('-').reverse().join('/')}.`,
      );
    }
    if (status.answerNote) notices.push(`Lưu ý: ${status.answerNote}`);
  }
  return notices;
}
