import { matchKey, words } from '../knowledge/normalize.js';

/**
 * Signs that someone is in danger right now (violence, an accident, a crime in progress): the bot then
 * shows the emergency numbers before anything else. Typed with diacritics, single words are clear enough;
 * typed without, only phrases are (folded "no" could be "nổ" or "nợ", "dam" "đâm" or "đám").
 */
const ACCENTED = [
  'bị đánh',
  'người đánh',
  'đánh người',
  'đánh em',
  'đánh tôi',
  'đánh mình',
  'đánh anh',
  'đánh chị',
  'đánh nhau',
  'đánh đập',
  'hành hung',
  'đâm',
  'chém',
  'bị thương',
  'tai nạn',
  'cháy',
  'nổ',
  'cướp',
  'bắt cóc',
  'hiếp',
  'ngất',
  'chảy máu',
  'ngộ độc',
  'sập',
  'điện giật',
  'tự tử',
  'đe dọa giết',
  'cấp cứu',
  'cuốn vào máy',
  'kẹt tay',
  'đứt tay',
  'gãy',
  'khống chế',
  'giam giữ',
  'đang xảy ra',
];
const FOLDED = [
  'bi danh',
  'nguoi danh',
  'danh nguoi',
  'danh em',
  'danh toi',
  'danh nhau',
  'danh dap',
  'hanh hung',
  'bi dam',
  'bi chem',
  'dam chem',
  'bi thuong',
  'tai nan',
  'chay nha',
  'chay xuong',
  'hoa hoan',
  'bi cuop',
  'cuop giat',
  'bat coc',
  'hiep dam',
  'ngat xiu',
  'chay mau',
  'ngo doc',
  'sap nha',
  'dien giat',
  'tu tu',
  'de doa giet',
  'cap cuu',
  'cuon vao may',
  'ket tay',
  'dut tay',
  'khong che',
  'giam giu',
  'dang xay ra',
];

function hasPhrase(text: string, phrase: string): boolean {
  return ` ${text} `.includes(` ${phrase} `);
}

export function looksUrgent(text: string): boolean {
  const plain = words(text).join(' ');
  const folded = matchKey(text);
  if (ACCENTED.some((p) => hasPhrase(plain, p))) return true;
  return FOLDED.some((p) => hasPhrase(folded, p));
}
