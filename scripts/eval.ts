/**
 * `npm run eval -- --questions knowledge/eval/dev.jsonl [--json] [--variant no-diacritics|abbreviated]`
 *
 * Retrieval quality on labelled questions: recall@1/3/5 and MRR over distinct cited articles, the share of
 * in-scope questions answered, the share of out-of-scope questions wrongly answered, and latency.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import { rankedArticles, summarise, type EvalOutcome } from '../src/knowledge/eval/metrics.js';
import { rewriteQuestion, type QuestionVariant } from '../src/knowledge/eval/variants.js';
import { loadLexicon } from '../src/knowledge/text/lexicon.js';
import { knowledgeCli } from './cli-knowledge.js';

const opts = new Command()
  .name('eval')
  .requiredOption('--questions <file>', 'tệp JSONL câu hỏi có nhãn')
  .option('--json', 'in một đối tượng JSON')
  .option('--variant <variant>', 'as-written | no-diacritics | abbreviated', 'as-written')
  .option('--misses', 'liệt kê câu hỏi trả lời sai (để rà soát)')
  .parse()
  .opts<{ questions: string; json?: boolean; variant: QuestionVariant; misses?: boolean }>();

const lineSchema = z.object({
  id: z.string(),
  question: z.string().min(1),
  relevant: z.array(z.object({ law_id: z.string(), article: z.string() })),
});
const lines = (await readFile(opts.questions, 'utf8')).split('\n').filter((l) => l.trim());
const questions = lines.map((l, i) => {
  const parsed = lineSchema.safeParse(JSON.parse(l));
  if (!parsed.success) throw new Error(`${opts.questions}:${i + 1}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
});

const { config, service } = knowledgeCli();
await service.start();
const engine = service.knowledgeEngine!;
const lexicon = await loadLexicon(path.join(config.paths.knowledge, 'lexicon'));

const outcomes: EvalOutcome[] = [];
for (const q of questions) {
  const text = rewriteQuestion(q.question, opts.variant, lexicon);
  const started = performance.now();
  const { result, hits } = await engine.answerWithHits(text);
  outcomes.push({ question: q, hits, answered: result.answered, ms: performance.now() - started });
}
const report = summarise(outcomes);
if (opts.json) {
  process.stdout.write(`${JSON.stringify(report)}\n`);
} else {
  console.table(report);
}
if (opts.misses) {
  for (const o of outcomes) {
    const top = rankedArticles(o.hits).slice(0, 3);
    const relevant = o.question.relevant.map((r) => `${r.law_id}:${r.article}`);
    const miss = relevant.length ? !relevant.some((r) => top.includes(r)) : o.answered;
    if (miss)
      console.error(
        `${o.question.id}\t${o.answered ? 'answered' : 'unsure'}\t${o.question.question}\n\twant ${relevant.join(', ') || '(out of scope)'}\n\tgot  ${top.join(', ')}`,
      );
  }
}
await service.stop();
