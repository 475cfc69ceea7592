/**
 * `npm run ask -- [--json] [--topic bao_hiem] "câu hỏi"`: answers one question from the shipped knowledge
 * base (building the index first if the corpus changed). With --json, prints exactly one JSON object:
 * {"answer", "confidence", "answered", "citations": [{"lawId", "article"}], "sources": [{"id", "title", "score"}]}.
 */
import { Command } from 'commander';
import { knowledgeCli } from './cli-knowledge.js';

const program = new Command()
  .name('ask')
  .argument('<question...>', 'câu hỏi')
  .option('--json', 'in một đối tượng JSON')
  .option('--topic <topic>', 'chỉ tìm trong chủ đề này')
  .parse();
const opts = program.opts<{ json?: boolean; topic?: string }>();
const question = program.args.join(' ');

const { service } = knowledgeCli();
await service.start();
const result = await service.ask(question, { topic: opts.topic });
if (opts.json) {
  const { answer, confidence, answered, citations, sources } = result;
  process.stdout.write(
    `${JSON.stringify({ answer, confidence, answered, citations: citations.map(({ lawId, article }) => ({ lawId, article })), sources })}\n`,
  );
} else {
  console.log(result.answer);
  console.log(`\n(độ tin cậy ${result.confidence}${result.answered ? '' : ', chưa chắc chắn'})`);
  for (const s of result.sources) console.log(`  ${s.score.toFixed(3)}  ${s.id}  ${s.title}`);
}
await service.stop();
