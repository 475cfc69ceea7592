/**
 * `npm run laws:import -- [files or folders …]` (default ../shared/data/laws): validates and normalises
 * law JSON files and writes them to knowledge/laws/, with the topics and notes of knowledge/law-meta.yaml.
 * Errors (invalid shape, duplicate or empty articles) stop the import of that file; warnings are printed.
 */
import { readFile, readdir, stat, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { lawFileName, lawMetaSchema, normaliseLaw } from '../src/knowledge/laws-import.js';

const knowledge = path.resolve(process.env.KNOWLEDGE_DIR ?? 'knowledge');
const inputs = process.argv.slice(2).length
  ? process.argv.slice(2)
  : [path.resolve('..', 'shared', 'data', 'laws')];

const files: string[] = [];
for (const input of inputs) {
  const info = await stat(input).catch(() => undefined);
  if (!info) {
    console.error(
      `Không thấy ${input}. Chỉ ra tệp hoặc thư mục JSON cần nhập: npm run laws:import -- đường/dẫn`,
    );
    process.exit(1);
  }
  if (info.isDirectory())
    files.push(...(await readdir(input)).filter((f) => f.endsWith('.json')).map((f) => path.join(input, f)));
  else files.push(input);
}

const metaFile = path.join(knowledge, 'law-meta.yaml');
const meta = lawMetaSchema.parse(parseYaml(await readFile(metaFile, 'utf8').catch(() => '{}')) ?? {});

await mkdir(path.join(knowledge, 'laws'), { recursive: true });
let failed = 0;
for (const file of files.sort()) {
  const input = JSON.parse(await readFile(file, 'utf8')) as { law_id?: string };
  const { law, problems } = normaliseLaw(input, meta[input.law_id ?? '']);
  for (const p of problems)
    console.error(`${path.basename(file)}: ${p.level === 'error' ? 'LỖI' : 'chú ý'}: ${p.message}`);
  if (!law || problems.some((p) => p.level === 'error')) {
    failed += 1;
    continue;
  }
  if (!meta[law.law_id])
    console.error(`${path.basename(file)}: chú ý: ${law.law_id} chưa có trong law-meta.yaml`);
  const out = path.join(knowledge, 'laws', lawFileName(law.law_id));
  await writeFile(out, `${JSON.stringify(law, null, 2)}\n`);
  console.log(
    `${law.law_id}: ${law.articles.length} điều${law.partial ? ' (một phần)' : ''} → ${path.relative(process.cwd(), out)}`,
  );
}
if (failed) {
  console.error(`${failed} tệp không nhập được.`);
  process.exit(1);
}
