/**
 * `npm run knowledge:check`: the content rules of knowledge/ (citations resolve, every number of an answer
 * is in a cited article, front matter complete, ids unique). Prints each problem; exits 1 if any.
 */
import path from 'node:path';
import { checkKnowledgeDir } from '../src/knowledge/content-check.js';
import { CorpusError } from '../src/knowledge/corpus.js';

const dir = path.resolve(process.argv[2] ?? process.env.KNOWLEDGE_DIR ?? 'knowledge');
const checked = await checkKnowledgeDir(dir).catch((err: unknown) => {
  if (err instanceof CorpusError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
});
const { problems, corpus } = checked;
for (const p of problems) console.error(`${p.file}${p.section ? ` [${p.section}]` : ''}: ${p.message}`);
const sections = corpus.leaflets.reduce((n, l) => n + l.sections.length, 0);
const articles = corpus.laws.reduce((n, l) => n + l.articles.length, 0);
console.log(
  `${corpus.leaflets.length} tờ rơi, ${sections} mục hỏi đáp, ${corpus.laws.length} văn bản (${articles} điều): ${problems.length} lỗi.`,
);
process.exit(problems.length > 0 ? 1 : 0);
