import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkContent, checkKnowledgeDir, numberValue, numbersIn } from '../src/knowledge/content-check.js';
import { parseLeaflet, type Corpus } from '../src/knowledge/corpus.js';

describe('the shipped knowledge base', () => {
  it('passes every content rule', async () => {
    const { problems } = await checkKnowledgeDir(path.resolve('knowledge'));
    expect(problems.map((p) => `${p.file} [${p.section ?? ''}] ${p.message}`)).toEqual([]);
  });
});

describe('content rules', () => {
  const law = {
    law_id: '1/2020/QH',
    title: 'Luật Thử',
    year: 2020,
    source: 's',
    articles: [
      { article: '5', title: 'Nghỉ', text: '1. Được nghỉ 12 ngày.\n2. Trả 1.500.000 đồng, tăng 03 ngày.' },
      { article: '6', title: 'Khác', text: 'Ít nhất 150%.' },
    ],
  };
  const leaflet = (
    body: string,
    front = 'sources: ["1/2020/QH:5"]\nvalid_from: 2021-01-01\nreview_by: 2027-01-01\ntags: [t]',
  ) => parseLeaflet('l.md', `---\nid: l\ntitle: L\ntopic: thoi_gio\n${front}\n---\n${body}`);
  const check = (corpus: Corpus, allow = []) => checkContent(corpus, allow).map((p) => p.message);

  it('reads numbers the way they are written', () => {
    expect(
      numbersIn('Nghỉ 12 ngày theo Điều 113 Luật 45/2019/QH14, được 1.500.000 đồng (150%), 4,5 giờ'),
    ).toEqual(['12', '1.500.000', '150', '4,5']);
    expect(numberValue('03')).toBe('3');
    expect(numberValue('1.500.000')).toBe('1500000');
    expect(numberValue('4,5')).toBe('4.5');
  });

  it('accepts numbers found in the cited article, however they are written', () => {
    expect(
      check({
        laws: [law],
        leaflets: [leaflet('## Nghỉ mấy ngày?\nĐược 12 ngày, thêm 3 ngày, 1.500.000 đồng.\n')],
      }),
    ).toEqual([]);
  });

  it('rejects a number that is not in the cited article', () => {
    expect(check({ laws: [law], leaflets: [leaflet('## Nghỉ mấy ngày?\nĐược 14 ngày.\n')] })).toEqual([
      'số "14" không có trong điều luật được trích (1/2020/QH:5)',
    ]);
    // 150 is in Điều 6, which this section does not cite.
    expect(check({ laws: [law], leaflets: [leaflet('## Lương?\nÍt nhất 150%.\n')] })).toHaveLength(1);
  });

  it('does not count clause numbers as numbers the article states', () => {
    // "1." and "2." only number the clauses of Điều 5; the article never says "2 lần".
    expect(check({ laws: [law], leaflets: [leaflet('## Được mấy lần?\nĐược 2 lần.\n')] })).toEqual([
      'số "2" không có trong điều luật được trích (1/2020/QH:5)',
    ]);
  });

  it('accepts an allow-listed number with its reason', () => {
    const allow = [{ value: '113', reason: 'số điện thoại của Công an, không phải số liệu pháp luật' }];
    expect(checkContent({ laws: [law], leaflets: [leaflet('## Gọi ai?\nGọi 113.\n')] }, allow)).toEqual([]);
  });

  it('rejects citations of articles that are not shipped, sections without citations, duplicates and unknown topics', () => {
    const bad = parseLeaflet(
      'b.md',
      '---\nid: l\ntitle: B\ntopic: bong_da\nsources: ["1/2020/QH:99"]\nvalid_from: 2021-01-01\nreview_by: 2027-01-01\ntags: [t]\n---\n## Hỏi?\nĐáp.\nCăn cứ: 9/2000/X:1\n',
    );
    const messages = check({ laws: [law], leaflets: [leaflet('## Hỏi?\nĐáp.\n'), bad] });
    expect(messages).toEqual(
      expect.arrayContaining([
        'id "l" trùng với l.md',
        expect.stringContaining('chủ đề "bong_da"'),
        'nguồn "1/2020/QH:99" không có trong knowledge/laws',
        'trích dẫn "9/2000/X:1" không có trong knowledge/laws',
      ]),
    );
  });

  it('requires outdated_note when a superseded law is cited, and complete front matter', () => {
    const old = { ...law, superseded_by: '2/2024/QH' };
    expect(check({ laws: [old], leaflets: [leaflet('## Nghỉ?\nĐược 12 ngày.\n')] })).toContain(
      'trích dẫn văn bản đã bị thay thế nhưng thiếu outdated_note',
    );
    expect(
      check({ laws: [law], leaflets: [leaflet('## Nghỉ?\nĐược 12 ngày.\n', 'sources: ["1/2020/QH:5"]')] }),
    ).toEqual(expect.arrayContaining(['thiếu valid_from hoặc review_by', 'thiếu tags']));
  });
});
