import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/conversation/flows/conditions.js';
import { renderTemplate, templateRefs, TemplateError } from '../../src/conversation/flows/template.js';

const values = {
  vars: { hours: 3, company: 'Công ty May Việt' },
  profile: { khu_cong_nghiep: 'An Nghiệp', topics: ['lua_dao'] },
  input: { text: 'xin chào' },
  user: { id: 'u1', name: 'Lan' },
  channel: 'web',
};

describe('templates', () => {
  it('renders variables, profile, input, user and channel, with fallbacks', () => {
    expect(renderTemplate('Chào {{user.name}} ở {{ profile.khu_cong_nghiep }} ({{channel}})', values)).toBe(
      'Chào Lan ở An Nghiệp (web)',
    );
    expect(renderTemplate('Công ty: {{company}}, giờ: {{hours}}', values)).toBe(
      'Công ty: Công ty May Việt, giờ: 3',
    );
    expect(renderTemplate('{{profile.company | "chưa có"}}', values)).toBe('chưa có');
    expect(renderTemplate('Bạn nói: {{input.text}}', values)).toBe('Bạn nói: xin chào');
  });

  it('lists references and rejects malformed placeholders', () => {
    expect(templateRefs('{{a}} {{profile.b}} {{input.text}}')).toEqual([
      { scope: 'var', name: 'a' },
      { scope: 'profile', name: 'b' },
      { scope: 'input', name: 'text' },
    ]);
    expect(() => templateRefs('{{a')).toThrow(TemplateError);
    expect(() => templateRefs('{{input.secret}}')).toThrow(/input chỉ có/);
    expect(() => templateRefs('{{Foo}}')).toThrow(TemplateError);
  });
});

describe('branch conditions', () => {
  const facts = { vars: values.vars, profile: values.profile, channel: 'web' };
  it('compares the way an admin means it', () => {
    expect(evaluate({ profile: 'khu_cong_nghiep', eq: 'an nghiep' }, facts)).toBe(true);
    expect(evaluate({ var: 'hours', eq: '3' }, facts)).toBe(true);
    expect(evaluate({ var: 'hours', gt: 2 }, facts)).toBe(true);
    expect(evaluate({ var: 'hours', lte: 2 }, facts)).toBe(false);
    expect(evaluate({ var: 'missing', exists: false }, facts)).toBe(true);
    expect(evaluate({ profile: 'topics', contains: 'lua_dao' }, facts)).toBe(true);
    expect(evaluate({ channel: true, in: ['messenger', 'web'] }, facts)).toBe(true);
    expect(evaluate({ var: 'company', contains: 'may viet' }, facts)).toBe(true);
  });
  it('combines with all, any and not', () => {
    expect(evaluate({ all: [{ var: 'hours', gt: 1 }, { not: { channel: true, eq: 'zalo' } }] }, facts)).toBe(
      true,
    );
    expect(
      evaluate(
        {
          any: [
            { var: 'hours', gt: 10 },
            { profile: 'company', exists: true },
          ],
        },
        facts,
      ),
    ).toBe(false);
  });
});
