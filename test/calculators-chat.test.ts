import { cp, mkdir, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STANDARD_NOTE } from '../src/calculators/common.js';
import { allText, FIXTURES, startTestApp, type TestApp } from './helpers/app.js';
import { removePrefix, testPrefix } from './helpers/redis.js';

/**
 * Scripted conversations with the benefit calculators through POST /api/chat (flows/calculators.yaml). The
 * knowledge base is the test fixture plus the shipped minimum-wage data file.
 */

const prefix = testPrefix('calc-chat');
let t: TestApp;

beforeAll(async () => {
  const knowledge = path.join(await mkdtemp(path.join(os.tmpdir(), 'ua-calc-')), 'knowledge');
  await cp(path.join(FIXTURES, 'knowledge'), knowledge, { recursive: true });
  await mkdir(path.join(knowledge, 'data'), { recursive: true });
  await cp(
    path.resolve('knowledge/data/minimum-wage.json'),
    path.join(knowledge, 'data', 'minimum-wage.json'),
  );
  t = await startTestApp({ prefix, env: { KNOWLEDGE_DIR: knowledge } });
}, 60_000);

afterAll(async () => {
  await t?.stop();
  await removePrefix(prefix);
});

/** Sends each line in turn and returns the replies to the last one. */
async function script(user: string, lines: string[]) {
  let replies = await t.say(user, lines[0]!);
  for (const line of lines.slice(1)) replies = await t.say(user, line);
  return replies;
}

/** Whether the first reply cites the article (and clause when given). */
function cites(
  messages: { citations?: { lawId: string; article: string; clause?: string }[] }[],
  lawId: string,
  article: string,
  clause?: string,
): boolean {
  return (messages[0]?.citations ?? []).some(
    (c) => c.lawId === lawId && c.article === article && (clause === undefined || c.clause === clause),
  );
}

const titles = (messages: { quickReplies?: { title: string }[] }[]) =>
  messages.at(-1)?.quickReplies?.map((q) => q.title) ?? [];

describe('benefit calculators in chat', () => {
  it('opens the calculator menu from the CALCULATORS payload and a typed keyword', async () => {
    const menu = await t.say('calc-menu', '', 'CALCULATORS');
    expect(allText(menu)).toContain('Bạn muốn tính gì?');
    expect(titles(menu)).toEqual([
      'Lương tăng ca, làm đêm',
      'Ngày phép năm',
      'Trợ cấp thôi việc, mất việc',
      'Nghỉ thai sản',
      'Trợ cấp thất nghiệp',
      'Rút BHXH một lần',
      'Lương tối thiểu vùng',
      'Menu',
    ]);
    const leave = menu.at(-1)!.quickReplies![1]!;
    expect(allText(await t.say('calc-menu', leave.title, leave.payload))).toContain(
      'Công việc của bạn thuộc loại nào?',
    );
    const answer = await script('calc-menu', ['binh thuong', '6']);
    expect(allText(answer)).toContain('Số ngày nghỉ hằng năm, hưởng nguyên lương: 13 ngày làm việc.');
    expect(cites(answer, '45/2019/QH14', '114')).toBe(true);
    expect(allText(await t.say('calc-menu-2', 'tính quyền lợi'))).toContain('Bạn muốn tính gì?');
  });

  it('overtime typed without diacritics, with "5tr2" for the wage: the rule, the citation and the note', async () => {
    const user = 'calc-ot';
    expect(allText(await t.say(user, 'tinh tang ca'))).toContain('trả theo tháng hay theo giờ');
    const reprompt = await script(user, ['theo thang', '-5']);
    expect(allText(reprompt)).toContain('Bạn gõ số tiền lương một tháng');
    const result = await script(user, ['5tr2', '26', '8', 'chủ nhật', '8', '0']);
    const text = allText(result);
    expect(text).toContain('Lương giờ: 5.200.000 đồng ÷ 26 ngày ÷ 8 giờ ≈ 25.000 đồng/giờ.');
    expect(text).toContain('8 giờ × 200% = ít nhất 400.000 đồng');
    expect(text).toContain('Cách tính: Giờ làm thêm được trả ít nhất 150%');
    expect(text).toContain(
      'Căn cứ: khoản 1 Điều 98, khoản 2, 3 Điều 107 Bộ luật Lao động 2019; khoản 1 Điều 54, khoản 1 Điều 55 Nghị định 145/2020/NĐ-CP.',
    );
    expect(text).toContain(STANDARD_NOTE);
    expect(cites(result, '45/2019/QH14', '98')).toBe(true);
    expect(titles(result)).toEqual(['Tính khoản khác', 'Gặp cán bộ công đoàn', 'Menu']);
  });

  it('refuses overtime beyond the legal limit, says which limit, and offers to start again', async () => {
    const user = 'calc-ot-limit';
    const refused = await script(user, [
      'tính lương tăng ca',
      'gio',
      '25.500',
      '8',
      'ngày thường',
      '6',
      '0',
      '0',
    ]);
    const text = allText(refused);
    expect(text).toContain('Mình chưa tính được vì:');
    expect(text).toContain('điểm b khoản 2 Điều 107 Bộ luật Lao động');
    expect(text).toContain('tối đa 4 giờ');
    expect(titles(refused)).toEqual(['Tính lại tăng ca', 'Gặp cán bộ công đoàn', 'Menu']);
    const again = refused.at(-1)!.quickReplies![0]!;
    expect(allText(await t.say(user, again.title, again.payload))).toContain('trả theo tháng hay theo giờ');
  });

  it('severance from two dates; a start after the end is refused', async () => {
    const ok = await script('calc-sv', [
      'trợ cấp thôi việc',
      'het han',
      '1/3/2018',
      '31/8/2025',
      '60',
      '8tr',
    ]);
    expect(allText(ok)).toContain(
      '90 tháng làm việc − 60 tháng đóng bảo hiểm thất nghiệp = 30 tháng, tính là 2,5 năm',
    );
    expect(allText(ok)).toContain('= 10.000.000 đồng');
    expect(cites(ok, '145/2020/NĐ-CP', '8')).toBe(true);

    const bad = await script('calc-sv-bad', [
      'tro cap thoi viec',
      '1',
      '1/3/2025',
      '1/3/2024',
      '0',
      '8.000.000',
    ]);
    expect(allText(bad)).toContain('Ngày bắt đầu làm việc đang ở sau ngày nghỉ việc');
    expect(titles(bad)[0]).toBe('Tính lại trợ cấp');
  });

  it('maternity leave of a father whose wife had twins by surgery', async () => {
    const res = await script('calc-mt', ['tinh thai san', 'chong', '2', 'có', 'không', 'bỏ qua']);
    expect(allText(res)).toContain('Bạn được nghỉ 14 ngày làm việc hưởng chế độ thai sản khi vợ sinh con.');
    expect(cites(res, '41/2024/QH15', '53')).toBe(true);
  });

  it('unemployment benefit with its cap and duration; a month the library has no minimum wage for goes to an officer', async () => {
    const res = await script('calc-ue', [
      'trợ cấp thất nghiệp',
      'đúng luật',
      '70',
      'có',
      '10tr',
      '9/2026',
      'vùng 1',
    ]);
    const text = allText(res);
    expect(text).toContain(
      'Mỗi tháng: 60% × 10.000.000 đồng = 6.000.000 đồng (mức trần vùng I: 26.550.000 đồng).',
    );
    expect(text).toContain('Thời gian hưởng: 5 tháng');
    expect(cites(res, '74/2025/QH15', '39')).toBe(true);
    expect(cites(res, '293/2025/NĐ-CP', '3')).toBe(true);

    const early = await script('calc-ue-early', [
      'tinh tro cap that nghiep',
      '1',
      '30',
      'co',
      '6,5 triệu',
      '12/2025',
      'vung 2',
    ]);
    expect(allText(early)).toContain('chưa có văn bản để tính mức trần');
    expect(titles(early)).toContain('Gặp cán bộ công đoàn');
    expect(allText(early)).toContain('Cán bộ công đoàn có thể xem kỹ trường hợp của bạn');
  });

  it('one-time social insurance: odd months before 2014 carried to the later period', async () => {
    const res = await script('calc-ls', ['rút bhxh 1 lần', 'nghỉ 12 tháng', '30', '66', 'có', '13', '6tr']);
    expect(allText(res)).toContain(
      '2 năm trước năm 2014 × 1,5 tháng + 6 năm từ năm 2014 × 2 tháng = 15 tháng lương bình quân',
    );
    expect(allText(res)).toContain('khoảng 90.000.000 đồng');
  });

  it('regional minimum wage: folded input, two steps, old districts, unknown places', async () => {
    const bd = await script('calc-mw', ['luong toi thieu vung', 'binh duong']);
    expect(allText(bd)).toContain(
      'Phường Bình Dương (Thành phố Hồ Chí Minh) thuộc vùng I: lương tối thiểu 5.310.000 đồng/tháng',
    );
    expect(cites(bd, '293/2025/NĐ-CP', '3', '1')).toBe(true);

    const user = 'calc-mw-2';
    const ask = await script(user, ['lương tối thiểu vùng', 'tp hcm']);
    expect(allText(ask)).toContain('Thành phố Hồ Chí Minh có địa bàn thuộc vùng I, II, III, tùy phường, xã');
    const old = await t.say(user, 'quận 7');
    expect(allText(old)).toContain('không còn quận, huyện');
    const found = await t.say(user, 'phường Tân Thuận');
    expect(allText(found)).toContain('Phường Tân Thuận (Thành phố Hồ Chí Minh) thuộc vùng I');
    expect(allText(found)).toContain('khoản 5 Điều 5');

    const unknown = await script('calc-mw-3', ['tra lương tối thiểu', 'quảng nam']);
    expect(allText(unknown)).toContain('Mình không tìm thấy "quảng nam"');
    const retried = await t.say('calc-mw-3', 'xa yen phong, bac ninh');
    expect(allText(retried)).toContain(
      'Xã Yên Phong (Tỉnh Bắc Ninh) thuộc vùng II: lương tối thiểu 4.730.000 đồng/tháng',
    );
  });

  it('a global intent still works in the middle of a calculation', async () => {
    await script('calc-interrupt', ['tinh phep nam']);
    expect(allText(await t.say('calc-interrupt', 'menu'))).toContain('Bạn cần hỗ trợ gì?');
  });
});
