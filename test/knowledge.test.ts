import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildChunks, splitClauses, validity } from '../src/knowledge/chunks.js';
import { parseLeaflet } from '../src/knowledge/corpus.js';
import { HashedNgramEmbeddings } from '../src/knowledge/embeddings/hashed.js';
import { rankedArticles, summarise } from '../src/knowledge/eval/metrics.js';
import { rewriteQuestion } from '../src/knowledge/eval/variants.js';
import { IndexStore } from '../src/knowledge/index/store.js';
import { fold, matchKey, nfc } from '../src/knowledge/normalize.js';
import { KnowledgeService } from '../src/knowledge/service.js';
import { Analyzer, normalizeTonePlacement, tokenize } from '../src/knowledge/text/analyzer.js';
import { loadLexicon } from '../src/knowledge/text/lexicon.js';
import { RedisFactory } from '../src/platform/redis.js';
import { FIXTURE_MIN_CONFIDENCE, FIXTURES } from './helpers/app.js';
import { redisUrl, removePrefix, testPrefix } from './helpers/redis.js';

const KNOWLEDGE = path.join(FIXTURES, 'knowledge');
const hashed = () => {
  const embeddings = new HashedNgramEmbeddings();
  return { embeddings, id: embeddings.id };
};

describe('Vietnamese text analysis', () => {
  let analyzer: Analyzer;
  beforeAll(async () => {
    analyzer = new Analyzer(await loadLexicon(path.resolve('knowledge/lexicon')));
  });

  it('normalises old-style tone placement', () => {
    expect(normalizeTonePlacement('hoà')).toBe('hòa');
    expect(normalizeTonePlacement('thuỷ')).toBe('thủy');
    expect(normalizeTonePlacement('khoẻ')).toBe('khỏe');
    expect(normalizeTonePlacement('quý')).toBe('quý');
    expect(normalizeTonePlacement('hoàng')).toBe('hoàng');
    expect(normalizeTonePlacement('mùa')).toBe('mùa');
  });

  it('indexes accented and folded syllables and pairs, without stop words', () => {
    const terms = analyzer.indexTerms('Người lao động được nghỉ phép');
    expect(terms).toEqual(
      expect.arrayContaining([
        'f:nguoi',
        'a:người',
        'F:nguoi_lao',
        'A:người_lao',
        'f:nghi',
        'a:nghỉ',
        'F:nghi_phep',
      ]),
    );
    expect(terms.some((t) => t.includes('duoc') || t.includes('được'))).toBe(false);
  });

  it('expands abbreviations typed without diacritics, but not a typed "à"', () => {
    const q = analyzer.analyzeQuery('cty ko dong bhxh cho e');
    expect(q.expandedText).toBe('công ty không dong bảo hiểm xã hội cho em');
    expect(q.terms.get('A:bảo_hiểm')).toBeGreaterThan(0);
    expect(analyzer.analyzeQuery('vậy à').expandedText).toBe('vậy à');
    expect(analyzer.analyzeQuery('hđlđ').expandedText).toBe('hợp đồng lao động');
  });

  it('adds synonym phrases with a lower weight', () => {
    const q = analyzer.analyzeQuery('nghi phep nam duoc may ngay');
    expect(q.terms.get('F:nghi_phep')).toBe(1.2);
    expect(q.terms.get('F:hang_nam')).toBe(0.5);
    expect(q.synonymAlternatives[0]).toContainEqual(['nghi', 'hang', 'nam']);
  });

  it('treats a folded word as a stop word only when it is unambiguous', () => {
    expect(analyzer.isStop('của')).toBe(true);
    expect(analyzer.isStop('cua')).toBe(true);
    expect(analyzer.isStop('toi')).toBe(false); // could be "tội"
    expect(analyzer.isStop('tôi')).toBe(true);
    expect(analyzer.isStop('vay')).toBe(false); // could be "vay"
  });
});

describe('normalisation properties (fast-check)', () => {
  const vietnamese = fc.string({
    unit: fc.constantFrom(
      ...'aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ AĂÂĐÊÔƠƯ.,?!0123456789'.split(
        '',
      ),
    ),
    maxLength: 60,
  });

  it('fold, nfc, matchKey and tone placement are idempotent', () => {
    fc.assert(
      fc.property(vietnamese, (s) => {
        expect(fold(fold(s))).toBe(fold(s));
        expect(nfc(nfc(s))).toBe(nfc(s));
        expect(matchKey(matchKey(s))).toBe(matchKey(s));
        for (const t of tokenize(s)) expect(normalizeTonePlacement(t)).toBe(t);
      }),
    );
  });

  it('decomposed input gives the same tokens and folds', () => {
    fc.assert(
      fc.property(vietnamese, (s) => {
        const nfd = s.normalize('NFD');
        expect(fold(nfd)).toBe(fold(s));
        expect(tokenize(nfd)).toEqual(tokenize(s));
      }),
    );
  });

  it('folding leaves only unaccented letters, and never changes the number of characters of ASCII text', () => {
    fc.assert(
      fc.property(vietnamese, (s) => {
        expect(/[\u0300-\u036fđĐ]/.test(fold(s).normalize('NFD'))).toBe(false);
        expect(fold(s).length).toBe(s.normalize('NFC').length);
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'abcxyz 019'.split('')) }), (s) => {
        expect(fold(s)).toBe(s);
      }),
    );
  });
});

describe('chunks', () => {
  it('splits long articles into clauses, keeping the lead-in with clause 1', () => {
    const text = 'Người lao động được nghỉ trong các trường hợp sau:\n1. Một.\n2. Hai.\n3. Ba.';
    expect(splitClauses(text)).toEqual([
      { clause: '1', text: 'Người lao động được nghỉ trong các trường hợp sau:\n1. Một.' },
      { clause: '2', text: '2. Hai.' },
      { clause: '3', text: '3. Ba.' },
    ]);
  });

  it('takes a section’s own "Căn cứ" line as its citations', () => {
    const leaflet = parseLeaflet(
      'x.md',
      '---\nid: x\ntitle: X\ntopic: t\nsources: ["1/2020/QH:1"]\n---\n## Hỏi một?\nĐáp.\nCăn cứ: 1/2020/QH:2, 1/2020/QH:3\n\n## Hỏi hai?\nĐáp hai.\n',
    );
    expect(leaflet.sections.map((s) => s.citations)).toEqual([
      [
        { lawId: '1/2020/QH', article: '2' },
        { lawId: '1/2020/QH', article: '3' },
      ],
      [{ lawId: '1/2020/QH', article: '1' }],
    ]);
    expect(leaflet.sections[0]!.answer).toBe('Đáp.');
  });

  it('reads other phrasings of a question and keeps them out of the answer', () => {
    const leaflet = parseLeaflet(
      'x.md',
      '---\nid: x\ntitle: X\ntopic: t\nsources: ["1/2020/QH:1"]\n---\n## Nghỉ phép được mấy ngày?\nĐáp.\nHỏi cách khác: phép năm bao nhiêu ngày | một năm được nghỉ mấy ngày\nCăn cứ: 1/2020/QH:1\n',
    );
    expect(leaflet.sections[0]).toMatchObject({
      answer: 'Đáp.',
      alternates: ['phép năm bao nhiêu ngày', 'một năm được nghỉ mấy ngày'],
    });
  });

  it('marks superseded laws outdated and future laws not yet in force', () => {
    const [old] = buildChunks({
      laws: [
        {
          law_id: 'A',
          title: 'Luật A',
          year: 2014,
          source: 's',
          superseded_by: 'B',
          articles: [{ article: '1', title: 't', text: 'x' }],
        },
      ],
      leaflets: [],
    });
    expect(validity(old!, '2026-01-01')).toBe('outdated');
    const [future] = buildChunks({
      laws: [
        {
          law_id: 'C',
          title: 'Luật C',
          year: 2030,
          effective: '2030-01-01',
          source: 's',
          articles: [{ article: '1', title: 't', text: 'x' }],
        },
      ],
      leaflets: [],
    });
    expect(validity(future!, '2026-01-01')).toBe('future');
  });
});

describe('knowledge engine on the fixture corpus', () => {
  let dataDir: string;
  let service: KnowledgeService;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'ua-kn-'));
    service = new KnowledgeService({
      knowledgeDir: KNOWLEDGE,
      dataDir,
      embeddings: hashed(),
      engine: { minConfidence: FIXTURE_MIN_CONFIDENCE },
    });
    await service.start();
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('answers from the leaflet section with the citation line and follow-ups', async () => {
    const r = await service.ask('Chim cánh cụt được nghỉ đông mấy ngày?');
    expect(r.answered).toBe(true);
    expect(r.answer).toContain('99 ngày');
    expect(r.answer).toContain('Căn cứ: Điều 7 Luật Chim cánh cụt');
    expect(r.citations).toEqual([{ lawId: '99/2099/TEST', article: '7' }]);
    expect(r.followUps?.[0]).toEqual({ title: 'Xem toàn văn Điều 7', payload: 'ARTICLE:99/2099/TEST:7' });
    expect(r.followUps?.map((f) => f.payload)).toContain('ASK:chim-canh-cut#2');
  });

  it('understands questions without diacritics, with abbreviations and synonyms', async () => {
    const top = async (q: string) => (await service.ask(q)).sources[0]?.id;
    expect(await top('ccc dc nghi dong may ngay')).toMatch(/^(99\/2099\/TEST:7|chim-canh-cut#1)$/);
    expect(await top('chim canh cut ngu dong bao lau')).toMatch(/^(99\/2099\/TEST:7|chim-canh-cut#1)$/);
    expect(await top('khi nao tra tien ca')).toMatch(/^(99\/2099\/TEST:8|chim-canh-cut#2)$/);
  });

  it('names the clause when the answer quotes one', async () => {
    const r = await service.ask('hải cẩu con được tắm nắng thêm mấy giờ');
    expect(r.citations[0]).toMatchObject({ lawId: '97/2097/TEST', article: '5', clause: '2' });
    expect(r.answer).toContain('Theo khoản 2 Điều 5');
  });

  it('says when a rule comes from a law that has been replaced', async () => {
    const r = await service.ask('hải cẩu được tắm nắng mấy giờ mỗi ngày');
    expect(r.outdated).toBe(true);
    expect(r.answer).toMatch(/đã được thay thế bởi .*quy định hiện hành có thể đã khác/s);
  });

  it('is not sure about questions outside the corpus', async () => {
    for (const q of ['Messi ghi bao nhiêu bàn thắng', 'cách nấu phở bò', 'thủ tục cấp sổ đỏ', 'xin chào']) {
      const r = await service.ask(q);
      expect(r.answered, q).toBe(false);
      expect(r.citations).toEqual([]);
    }
  });

  it('shows a whole article and answers from a pinned section', () => {
    expect(service.article('99/2099/TEST', '7')?.text).toContain('3 ngày');
    expect(service.section('chim-canh-cut#2')?.answer).toContain('thứ năm');
  });
});

describe('index persistence', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'ua-store-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('loads the stored index when nothing changed and rebuilds when the corpus did', async () => {
    const corpus = path.join(root, 'knowledge');
    await cp(KNOWLEDGE, corpus, { recursive: true });
    const store = new IndexStore(path.join(root, 'data', 'index'));
    const first = await store.ensure(corpus, hashed());
    expect(first.built).toBe(true);
    const again = await store.ensure(corpus, hashed());
    expect(again.built).toBe(false);
    expect(again.manifest.version).toBe(first.manifest.version);
    expect(await readFile(path.join(root, 'data', 'index', 'CURRENT'), 'utf8')).toBe(
      `${first.manifest.version}\n`,
    );

    const leaflet = path.join(corpus, 'leaflets', 'chim-canh-cut.md');
    await writeFile(
      leaflet,
      `${await readFile(leaflet, 'utf8')}\n## Chim cánh cụt có được bơi không?\nCó.\nCăn cứ: 99/2099/TEST:8\n`,
    );
    const changed = await store.ensure(corpus, hashed());
    expect(changed.built).toBe(true);
    expect(changed.manifest.chunks).toBe(first.manifest.chunks + 1);
  });

  it('lets other processes pick up a rebuild through Redis without a restart', async () => {
    const prefix = testPrefix('knowledge');
    const corpus = path.join(root, 'shared-knowledge');
    await cp(KNOWLEDGE, corpus, { recursive: true });
    const factories = [0, 1].map(() => new RedisFactory({ url: redisUrl(), keyPrefix: prefix }));
    const services = factories.map(
      (f) =>
        new KnowledgeService({
          knowledgeDir: corpus,
          dataDir: path.join(root, 'shared-data'),
          embeddings: hashed(),
          redis: { client: f.client(), subscriber: () => f.create('sub'), keyPrefix: prefix },
        }),
    );
    try {
      await Promise.all(services.map((s) => s.start()));
      const [a, b] = services as [KnowledgeService, KnowledgeService];
      expect(b.manifest?.version).toBe(a.manifest?.version);
      expect((await b.ask('hải cẩu con tắm nắng thêm mấy giờ')).answer).not.toContain('cá heo');

      const law = path.join(corpus, 'laws', '97-2097-TEST.json');
      const json = JSON.parse(await readFile(law, 'utf8'));
      json.articles.push({
        article: '6',
        title: 'Cá heo bạn của hải cẩu',
        text: 'Hải cẩu được chơi với cá heo 2 giờ mỗi tuần.',
      });
      await writeFile(law, JSON.stringify(json));
      const rebuilt = await a.rebuild();
      for (let i = 0; i < 100 && b.manifest?.version !== rebuilt.version; i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(b.manifest?.version).toBe(rebuilt.version);
      expect(b.article('97/2097/TEST', '6')?.text).toContain('cá heo');
    } finally {
      await Promise.all(services.map((s) => s.stop()));
      await Promise.all(factories.map((f) => f.closeAll()));
      await removePrefix(prefix);
    }
  });
});

describe('evaluation metrics', () => {
  const hit = (id: string, citations: [string, string][]) =>
    ({ chunk: { id, citations: citations.map(([lawId, article]) => ({ lawId, article })) } }) as never;

  it('ranks distinct cited articles in result order', () => {
    expect(
      rankedArticles([
        hit('l#1', [
          ['L', '2'],
          ['L', '3'],
        ]),
        hit('L:2', [['L', '2']]),
        hit('L:9', [['L', '9']]),
      ]),
    ).toEqual(['L:2', 'L:3', 'L:9']);
  });

  it('computes recall@k, MRR, answered and false-answer rates', () => {
    const report = summarise([
      {
        question: { id: '1', question: 'q', relevant: [{ law_id: 'L', article: '3' }] },
        hits: [hit('a', [['L', '2']]), hit('b', [['L', '3']])],
        answered: true,
        ms: 2,
      },
      {
        question: { id: '2', question: 'q', relevant: [{ law_id: 'L', article: '5' }] },
        hits: [hit('c', [['L', '5']])],
        answered: false,
        ms: 4,
      },
      { question: { id: '3', question: 'bóng đá', relevant: [] }, hits: [], answered: true, ms: 1 },
    ]);
    expect(report).toMatchObject({
      n: 3,
      'recall@1': 0.5,
      'recall@3': 1,
      mrr: 0.75,
      answered_rate: 0.5,
      false_answer_rate: 1,
      n_out_of_scope: 1,
    });
  });

  it('rewrites questions the way workers type them', async () => {
    const lexicon = await loadLexicon(path.resolve('knowledge/lexicon'));
    expect(rewriteQuestion('Công ty không đóng bảo hiểm xã hội', 'abbreviated', lexicon)).toBe(
      'cty ko đóng bhxh',
    );
    expect(rewriteQuestion('Nghỉ phép', 'no-diacritics', lexicon)).toBe('nghi phep');
  });
});
