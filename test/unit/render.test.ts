import { describe, expect, it } from 'vitest';
import { capabilitiesFor } from '../../src/channels/capabilities.js';
import { numberPrompt, renderMessages, splitText, uaData } from '../../src/channels/render.js';
import type { OutMessage } from '../../src/conversation/messages.js';

const menu: OutMessage = {
  text: 'Bạn cần hỗ trợ gì?',
  quickReplies: [
    { title: 'Hỏi đáp pháp luật lao động', short: 'Luật lao động', payload: 'A' },
    { title: 'Bảo hiểm xã hội, bảo hiểm y tế', short: 'BHXH, BHYT', payload: 'B' },
    { title: 'Gặp cán bộ', payload: 'C' },
  ],
};

describe('rendering within channel limits', () => {
  it('uses full titles where they fit (web)', () => {
    const [a] = renderMessages([menu], capabilitiesFor('web'));
    expect(a!.suggestedActions!.actions.map((x) => x.title)).toEqual([
      'Hỏi đáp pháp luật lao động',
      'Bảo hiểm xã hội, bảo hiểm y tế',
      'Gặp cán bộ',
    ]);
    expect(a!.text).toBe('Bạn cần hỗ trợ gì?');
  });

  it('uses short titles on Messenger (20 characters at most)', () => {
    const [a] = renderMessages([menu], capabilitiesFor('messenger'));
    const titles = a!.suggestedActions!.actions.map((x) => x.title!);
    expect(titles).toEqual(['Luật lao động', 'BHXH, BHYT', 'Gặp cán bộ']);
    expect(titles.every((t) => t.length <= 20)).toBe(true);
    expect(a!.suggestedActions!.actions.map((x) => x.value)).toEqual(['A', 'B', 'C']);
  });

  it('falls back to a numbered menu with number buttons when a title cannot fit', () => {
    const long: OutMessage = {
      text: 'Chọn:',
      quickReplies: [
        { title: 'Một lựa chọn có tên rất dài không rút gọn được', payload: 'X' },
        { title: 'Ngắn', payload: 'Y' },
      ],
    };
    const [a] = renderMessages([long], capabilitiesFor('messenger'));
    expect(a!.text).toBe('Chọn:\n\n1. Một lựa chọn có tên rất dài không rút gọn được\n2. Ngắn\nGõ 1 hoặc 2.');
    expect(a!.suggestedActions!.actions.map((x) => [x.title, x.value])).toEqual([
      ['1', 'X'],
      ['2', 'Y'],
    ]);
  });

  it('writes a numbered menu without buttons when there are more options than the channel allows', () => {
    const many: OutMessage = {
      text: 'Chọn tỉnh:',
      quickReplies: Array.from({ length: 14 }, (_, i) => ({ title: `Tỉnh ${i + 1}`, payload: `P${i}` })),
    };
    const [a] = renderMessages([many], capabilitiesFor('messenger'));
    expect(a!.suggestedActions).toBeUndefined();
    expect(a!.text).toContain('14. Tỉnh 14\nGõ số từ 1 đến 14 để chọn.');
  });

  it('gives text-only channels a numbered menu, and a typed-word hint for skip', () => {
    const ask: OutMessage = {
      text: 'Bạn làm ở đâu?',
      quickReplies: [{ title: 'Bỏ qua', payload: 'S', typed: 'bỏ qua' }],
    };
    const [a] = renderMessages([ask], capabilitiesFor('console'));
    expect(a!.text).toBe('Bạn làm ở đâu?\n\nGõ "bỏ qua" nếu bạn muốn bỏ qua.');
    const [b] = renderMessages([menu], capabilitiesFor('console'));
    expect(b!.text).toBe(
      'Bạn cần hỗ trợ gì?\n\n1. Hỏi đáp pháp luật lao động\n2. Bảo hiểm xã hội, bảo hiểm y tế\n3. Gặp cán bộ\nGõ 1, 2 hoặc 3.',
    );
    expect(b!.suggestedActions).toBeUndefined();
  });

  it('puts links in card data where supported and in the text elsewhere; keeps citations', () => {
    const msg: OutMessage = {
      text: 'Xem thêm:',
      buttons: [{ title: 'Cổng dịch vụ công', url: 'https://dichvucong.gov.vn' }],
      citations: [{ lawId: '45/2019/QH14', article: '113' }],
    };
    const [web] = renderMessages([msg], capabilitiesFor('web'));
    expect(uaData(web!)).toEqual({
      citations: [{ lawId: '45/2019/QH14', article: '113' }],
      links: [{ title: 'Cổng dịch vụ công', url: 'https://dichvucong.gov.vn' }],
    });
    const [plain] = renderMessages([msg], capabilitiesFor('console'));
    expect(plain!.text).toBe('Xem thêm:\n\nCổng dịch vụ công: https://dichvucong.gov.vn');
  });

  it('splits long text at sentence ends under the limit, options on the last piece', () => {
    const sentence = 'Người lao động được nghỉ hằng năm theo quy định. ';
    const long: OutMessage = {
      text: sentence.repeat(60).trim(),
      quickReplies: [{ title: 'Menu', payload: 'MENU' }],
    };
    const pieces = renderMessages([long], capabilitiesFor('messenger'));
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) {
      expect(p.text!.length).toBeLessThanOrEqual(2000);
      expect(p.text!.endsWith('.')).toBe(true);
    }
    expect(pieces.map((p) => p.text).join(' ')).toBe(long.text);
    expect(pieces.at(-1)!.suggestedActions).toBeDefined();
    expect(pieces[0]!.suggestedActions).toBeUndefined();
  });

  it('cuts a single over-long sentence at a space', () => {
    const words = Array.from({ length: 100 }, (_, i) => `từ${i}`).join(' ');
    const parts = splitText(words, 50);
    expect(parts.every((p) => p.length <= 50)).toBe(true);
    expect(parts.join(' ')).toBe(words);
  });

  it('phrases number prompts naturally', () => {
    expect(numberPrompt(1)).toBe('Gõ 1 để chọn.');
    expect(numberPrompt(2)).toBe('Gõ 1 hoặc 2.');
    expect(numberPrompt(4)).toBe('Gõ 1, 2, 3 hoặc 4.');
    expect(numberPrompt(7)).toBe('Gõ số từ 1 đến 7 để chọn.');
  });
});
