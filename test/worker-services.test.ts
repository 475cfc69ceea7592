import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateInput } from '../src/conversation/flows/inputs.js';
import { looksUrgent } from '../src/tickets/urgency.js';
import { allText, startTestApp, type TestApp } from './helpers/app.js';
import { removePrefix, testPrefix } from './helpers/redis.js';

const prefix = testPrefix('worker-services');
let t: TestApp;

/** Says each line in turn as one worker and returns every reply's text, in order. */
async function conversation(userId: string, lines: string[]): Promise<string[]> {
  const replies: string[] = [];
  for (const line of lines) replies.push(allText(await t.say(userId, line)));
  return replies;
}

function codeIn(text: string): string {
  const code = /PA[A-Z0-9]{6}/.exec(text)?.[0];
  expect(code, text).toBeDefined();
  return code!;
}

beforeAll(async () => {
  // The shipped knowledge base: the scam check answers from its leaflets.
  t = await startTestApp({ prefix, env: { KNOWLEDGE_DIR: path.resolve('knowledge') } });
}, 120_000);

afterAll(async () => {
  await t?.stop();
  await removePrefix(prefix);
});

describe('phản ánh (report a problem)', () => {
  it('files a ticket with category, company, khu công nghiệp, photo and contact, and gives its code', async () => {
    const replies = await conversation('pa-1', [
      'phản ánh',
      'nợ lương',
      'Công ty chậm lương tháng 9 và tháng 10, hẹn mãi không trả.',
      'Công ty May Hòa Bình',
      'KCN An Nghiệp',
      'https://example.com/bang-luong.jpg',
      'Để lại số điện thoại',
      '0912 345 678',
    ]);
    expect(replies[0]).toContain('Đang khẩn cấp');
    expect(replies[1]).toContain('kể ngắn gọn');
    const code = codeIn(replies.at(-1)!);
    expect(replies.at(-1)).toContain(`tra cứu phản ánh ${code}`);
    const ticket = (await t.app.services.tickets.get(code))!;
    expect(ticket).toMatchObject({
      category: 'cham_no_luong',
      company: 'Công ty May Hòa Bình',
      khu_cong_nghiep: 'KCN An Nghiệp',
      photoUrl: 'https://example.com/bang-luong.jpg',
      contact: '0912345678',
      urgent: false,
      status: 'new',
      channel: 'web',
      userId: 'pa-1',
    });
    expect(ticket.description).toContain('chậm lương tháng 9');
  });

  it('stays anonymous when asked, and skips what the worker does not want to say', async () => {
    const replies = await conversation('pa-2', [
      'phan anh',
      '6',
      'Tổ trưởng hay chửi mắng công nhân trước mặt mọi người.',
      'bỏ qua',
      'bo qua',
      'bỏ qua',
      'Gửi ẩn danh',
    ]);
    const code = codeIn(replies.at(-1)!);
    expect(replies.at(-1)).toContain('ẩn danh');
    const ticket = (await t.app.services.tickets.get(code))!;
    expect(ticket.category).toBe('xuc_pham_quay_roi');
    expect(ticket.contact).toBeUndefined();
    expect(ticket.company).toBeUndefined();
    expect(ticket.photoUrl).toBeUndefined();
  });

  it('shows 113, 114 and 115 first in an emergency', async () => {
    const first = await t.say('pa-3', 'phản ánh');
    expect(allText(first)).toContain('Đang khẩn cấp');
    const urgent = await t.say('pa-3', 'Đang khẩn cấp');
    expect(urgent[0]!.text).toMatch(/113.*114.*115/s);
    const replies = await conversation('pa-3', [
      'Có người bị máy cuốn tay ở xưởng, đang chảy máu nhiều.',
      'Công ty Cơ khí B',
      'bỏ qua',
      'bỏ qua',
      'Gửi ẩn danh',
    ]);
    const ticket = (await t.app.services.tickets.get(codeIn(replies.at(-1)!)))!;
    expect(ticket.urgent).toBe(true);
  });

  it('notices danger in the story itself and shows the numbers right away', async () => {
    await conversation('pa-4', ['phản ánh', 'Việc khác']);
    const afterStory = allText(
      await t.say('pa-4', 'Tối qua em bị mấy người đánh ở cổng nhà trọ, giờ họ vẫn đứng đó'),
    );
    expect(afterStory).toMatch(/113/);
    expect(afterStory.indexOf('113')).toBeLessThan(afterStory.indexOf('công ty nào'));
    const replies = await conversation('pa-4', ['bỏ qua', 'bỏ qua', 'bỏ qua', 'Gửi ẩn danh']);
    expect((await t.app.services.tickets.get(codeIn(replies.at(-1)!)))!.urgent).toBe(true);
  });

  it('tells the status by code, asks for a code when none is given, and survives a restart', async () => {
    const replies = await conversation('pa-5', [
      'phản ánh',
      'Không đóng BHXH',
      'Công ty không đóng bảo hiểm xã hội cho em từ đầu năm.',
      'Công ty C',
      'bỏ qua',
      'bỏ qua',
      'Gửi ẩn danh',
    ]);
    const code = codeIn(replies.at(-1)!);
    expect(allText(await t.say('pa-5', `tra cứu phản ánh ${code}`))).toContain('đã tiếp nhận');
    await t.app.services.tickets.update(code, { status: 'in_progress' });
    expect(allText(await t.say('someone-else', `tra cuu phan anh ${code.toLowerCase()}`))).toContain(
      'cán bộ đang xử lý',
    );
    expect(allText(await t.say('pa-5', 'tra cứu phản ánh'))).toContain('gõ mã phản ánh');
    expect(allText(await t.say('pa-5', code))).toContain('Không đóng BHXH');
    expect(allText(await t.say('pa-5', 'tra cứu phản ánh PAZZZZZZ'))).toContain('không tìm thấy');

    // Another process on the same Redis (as after a restart) knows the ticket.
    await t.stop();
    t = await startTestApp({ prefix, env: { KNOWLEDGE_DIR: path.resolve('knowledge') } });
    expect(allText(await t.say('pa-5', `tra cứu phản ánh ${code}`))).toContain('cán bộ đang xử lý');
  }, 60_000);
});

describe('scam check', () => {
  const cases: [string, string, string][] = [
    [
      'Tôi là cán bộ điều tra công an quận, tài khoản của anh liên quan vụ án rửa tiền, anh phải chuyển tiền vào tài khoản an toàn để xác minh.',
      'Giả danh công an',
      'Rất có thể là lừa đảo',
    ],
    [
      '[VCB] Tai khoan cua quy khach bi khoa. Vui long truy cap http://vcb-xacthuc.top de cap nhat tai khoan va nhap ma OTP.',
      'Giả danh ngân hàng',
      'không cung cấp mã OTP',
    ],
    [
      'Tuyển cộng tác viên online việc nhẹ lương cao, làm nhiệm vụ chốt đơn nhận hoa hồng mỗi ngày.',
      'việc nhẹ lương cao',
      'tiền "cọc"',
    ],
    ['app vay tien bat dong phi bao hiem khoan vay truoc roi moi giai ngan', 'App vay tiền', 'giải ngân'],
    [
      'Có người gọi xưng bảo hiểm xã hội báo em được hoàn tiền bảo hiểm, bảo cài ứng dụng theo đường link.',
      'bảo hiểm xã hội',
      'hoàn tiền',
    ],
  ];

  it.each(cases)('recognises %s', async (message, pattern, warning) => {
    const user = `scam-${pattern.length}-${message.length}`;
    expect(allText(await t.say(user, 'kiểm tra tin nhắn'))).toContain('dán nguyên tin nhắn');
    const reply = await t.say(user, message);
    const text = allText(reply);
    expect(text).toContain(pattern);
    expect(text).toContain(warning);
    expect(text).toContain('Việc cần làm ngay');
    // The warning is the leaflet's, cited.
    expect(reply.flatMap((m) => m.citations ?? [])).toContainEqual({
      lawId: '100/2015/QH13',
      article: '174',
    });
  });

  it('is careful with a suspicious message it cannot place, and honest when it sees nothing', async () => {
    await t.say('scam-x', 'tin nhắn lạ');
    expect(
      allText(await t.say('scam-x', 'Chúc mừng bạn trúng thưởng, bấm vào abc-qua.xyz để nhận quà')),
    ).toContain('dấu hiệu đáng ngờ');
    await t.say('scam-y', 'kiểm tra tin nhắn');
    expect(allText(await t.say('scam-y', 'Mẹ ơi tối nay con tăng ca, về muộn nhé'))).toContain(
      'không chắc chắn',
    );
  });
});

describe('pieces', () => {
  it('takes a photo from an attachment or a typed link', () => {
    const now = new Date();
    const zone = 'Asia/Ho_Chi_Minh';
    expect(
      validateInput(
        { type: 'photo' },
        { attachments: [{ contentType: 'image', url: 'https://cdn.fb/x.jpg' }] },
        now,
        zone,
      ),
    ).toMatchObject({ ok: true, value: 'https://cdn.fb/x.jpg' });
    expect(validateInput({ type: 'photo' }, { text: 'http://a.vn/b.png' }, now, zone)).toMatchObject({
      ok: true,
    });
    expect(
      validateInput(
        { type: 'photo' },
        { attachments: [{ contentType: 'file', url: 'https://x/doc.pdf' }] },
        now,
        zone,
      ).ok,
    ).toBe(false);
  });

  it('tells danger from ordinary complaints, with or without diacritics', () => {
    expect(looksUrgent('Anh ấy bị đánh chảy máu')).toBe(true);
    expect(looksUrgent('co nguoi bi danh o cong')).toBe(true);
    expect(looksUrgent('xưởng đang cháy')).toBe(true);
    expect(looksUrgent('Công ty nợ lương 3 tháng')).toBe(false);
    expect(looksUrgent('cong ty no luong 3 thang')).toBe(false);
    expect(looksUrgent('danh sách tăng ca dài quá')).toBe(false);
  });
});
