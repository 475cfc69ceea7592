import { describe, expect, it } from 'vitest';
import { commandKey, containsPhrase, fold, matchKey, nfc, words } from '../../src/knowledge/normalize.js';

describe('Vietnamese normalisation', () => {
  it('folds diacritics and đ, and lowercases', () => {
    expect(fold('Nghỉ Phép Hằng Năm')).toBe('nghi phep hang nam');
    expect(fold('ĐĂNG KÝ')).toBe('dang ky');
    expect(fold('Hợp đồng lao động')).toBe('hop dong lao dong');
  });

  it('treats decomposed input and old tone placement alike', () => {
    const decomposed = 'hủy'.normalize('NFD');
    expect(nfc(decomposed)).toBe('hủy');
    expect(fold(decomposed)).toBe('huy');
    expect(fold('huỷ')).toBe(fold('hủy'));
  });

  it('splits words on punctuation, keeping Vietnamese letters and digits', () => {
    expect(words('Lương tháng 8, chậm 15 ngày?!')).toEqual(['lương', 'tháng', '8', 'chậm', '15', 'ngày']);
    expect(matchKey('  Gặp   Cán-Bộ!! ')).toBe('gap can bo');
  });

  it('drops trailing polite particles from short commands', () => {
    expect(commandKey('Menu ạ!')).toBe('menu');
    expect(commandKey('hủy nhé')).toBe('huy');
    expect(commandKey('gặp cán bộ với ạ')).toBe('gap can bo');
    expect(commandKey('a')).toBe('a');
  });

  it('finds a phrase only as whole words', () => {
    expect(containsPhrase('tôi muốn gặp cán bộ ngay', 'gặp cán bộ')).toBe(true);
    expect(containsPhrase('toi muon gap can bo', 'gặp cán bộ')).toBe(true);
    expect(containsPhrase('gặp cán bộ', 'cán')).toBe(true);
    expect(containsPhrase('canbo', 'cán bộ')).toBe(false);
  });
});
