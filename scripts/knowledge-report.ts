/**
 * `npm run knowledge:report [-- --json]`: what the knowledge base covers — leaflets and question sections per
 * topic, the articles leaflets cite, and the Labour Code articles no leaflet covers yet (a to-do list for
 * leaflet writers).
 */
import path from 'node:path';
import { loadCorpus } from '../src/knowledge/corpus.js';
import { LEAFLET_TOPICS } from '../src/knowledge/topics.js';

const LABOUR_CODE = '45/2019/QH14';
const json = process.argv.includes('--json');
const corpus = await loadCorpus(path.resolve(process.env.KNOWLEDGE_DIR ?? 'knowledge'));

const topics = Object.entries(LEAFLET_TOPICS).map(([id, t]) => {
  const leaflets = corpus.leaflets.filter((l) => l.meta.topic === id);
  return {
    topic: id,
    label: t.label,
    leaflets: leaflets.length,
    sections: leaflets.reduce((n, l) => n + l.sections.length, 0),
  };
});
const cited = new Map<string, number>();
for (const l of corpus.leaflets)
  for (const s of l.sections)
    for (const c of s.citations) {
      const key = `${c.lawId}:${c.article}`;
      cited.set(key, (cited.get(key) ?? 0) + 1);
    }
const code = corpus.laws.find((l) => l.law_id === LABOUR_CODE);
const uncovered = (code?.articles ?? [])
  .filter((a) => !cited.has(`${LABOUR_CODE}:${a.article}`))
  .map((a) => `${a.article}. ${a.title}`);
const laws = corpus.laws.map((l) => ({
  law: l.law_id,
  title: l.title,
  articles: l.articles.length,
  cited: l.articles.filter((a) => cited.has(`${l.law_id}:${a.article}`)).length,
  superseded_by: l.superseded_by,
}));

if (json) {
  console.log(JSON.stringify({ topics, laws, uncoveredLabourCode: uncovered }, null, 2));
} else {
  const total = topics.reduce((n, t) => n + t.sections, 0);
  console.log(`Tờ rơi: ${corpus.leaflets.length}, mục hỏi đáp: ${total}\n`);
  console.table(
    topics.map((t) => ({ 'chủ đề': t.topic, 'nội dung': t.label, 'tờ rơi': t.leaflets, mục: t.sections })),
  );
  console.table(
    laws.map((l) => ({
      'văn bản': l.law,
      'số điều': l.articles,
      'điều được trích': l.cited,
      'bị thay thế bởi': l.superseded_by ?? '',
    })),
  );
  const missing = topics.filter((t) => t.leaflets === 0).map((t) => t.topic);
  console.log(
    missing.length ? `Chủ đề chưa có tờ rơi: ${missing.join(', ')}` : 'Mọi chủ đề đều đã có tờ rơi.',
  );
  console.log(
    `\nĐiều của Bộ luật Lao động chưa tờ rơi nào trích (${uncovered.length}/${code?.articles.length ?? 0}):`,
  );
  console.log(uncovered.map((a) => `  ${a}`).join('\n'));
}
