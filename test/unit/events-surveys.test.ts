import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { builtinActions } from '../../src/conversation/actions/builtins.js';
import { FlowSet, FlowSetError } from '../../src/conversation/flows/flow-set.js';
import { parseFlowFile } from '../../src/conversation/flows/load.js';
import { loadFlowDirectory } from '../../src/conversation/flows/load.js';
import { reminderJobId } from '../../src/events/reminders.js';
import { dayBefore, describeLocal, isValidLocalDateTime, reminderInstant } from '../../src/events/time.js';
import { interpretReply } from '../../src/surveys/actions.js';
import type { SurveyQuestion } from '../../src/surveys/store.js';

const TZ = 'Asia/Ho_Chi_Minh';

describe('event reminder time (Asia/Ho_Chi_Minh, UTC+7)', () => {
  it('is the day before the event at the configured local time', () => {
    // Saturday 12/12/2026 08:00 → Friday 11/12/2026 18:00 local = 11:00 UTC.
    expect(reminderInstant('2026-12-12T08:00', '18:00', TZ).toISOString()).toBe('2026-12-11T11:00:00.000Z');
    // An event just after midnight is still reminded the evening before.
    expect(reminderInstant('2026-12-12T00:30', '18:00', TZ).toISOString()).toBe('2026-12-11T11:00:00.000Z');
    // Month and year boundaries; an early reminder time falls on the previous UTC day.
    expect(reminderInstant('2027-01-01T07:00', '18:00', TZ).toISOString()).toBe('2026-12-31T11:00:00.000Z');
    expect(reminderInstant('2026-03-01T07:00', '06:30', TZ).toISOString()).toBe('2026-02-27T23:30:00.000Z');
    expect(dayBefore('2024-03-01')).toBe('2024-02-29');
  });

  it('has one job id per event and day', () => {
    expect(reminderJobId('K7M2Q9', '2026-12-12T08:00')).toBe('remind-K7M2Q9-20261212');
    expect(reminderJobId('K7M2Q9', '2026-12-12T19:30')).toBe('remind-K7M2Q9-20261212');
  });

  it('reads dates the way workers do and refuses impossible ones', () => {
    expect(describeLocal('2026-12-12T08:00')).toBe('Thứ Bảy 12/12/2026 lúc 08:00');
    expect(describeLocal('2026-02-01T19:05')).toBe('Chủ nhật 01/02/2026 lúc 19:05');
    expect(isValidLocalDateTime('2026-02-29T08:00')).toBe(false);
    expect(isValidLocalDateTime('2026-12-12T24:00')).toBe(false);
    expect(isValidLocalDateTime('2026-12-12 08:00')).toBe(false);
    expect(isValidLocalDateTime('2028-02-29T08:00')).toBe(true);
  });
});

describe('survey replies', () => {
  const choice: SurveyQuestion = {
    id: 'q1',
    text: 'Bữa ăn ca thế nào?',
    type: 'single_choice',
    required: true,
    options: [
      { id: '1', title: 'Ngon' },
      { id: '2', title: 'Bình thường' },
      { id: '3', title: 'Không ngon' },
    ],
  };
  const scale: SurveyQuestion = { id: 'q2', text: 'Hài lòng?', type: 'scale', required: false };
  const text: SurveyQuestion = { id: 'q3', text: 'Góp ý?', type: 'text', required: true, maxLength: 20 };

  it('takes a tapped option, its number, its title without diacritics, or a word that starts it', () => {
    expect(interpretReply(choice, '2')).toEqual({ value: '2' });
    expect(interpretReply(choice, 'binh thuong')).toEqual({ value: '2' });
    // "không" is an option's title here, not a wish to skip.
    expect(interpretReply(choice, 'Không ngon')).toEqual({ value: '3' });
    expect(interpretReply(choice, 'bỏ qua')).toHaveProperty('invalid');
    expect(interpretReply(choice, '7')).toHaveProperty('invalid');
  });

  it('takes 1–5 on a scale and lets an optional question be skipped', () => {
    expect(interpretReply(scale, '4')).toEqual({ value: 4 });
    expect(interpretReply(scale, '4 điểm')).toEqual({ value: 4 });
    expect(interpretReply(scale, '6')).toHaveProperty('invalid');
    expect(interpretReply(scale, '__skip__')).toEqual({ skip: true });
    expect(interpretReply(scale, 'bo qua')).toEqual({ skip: true });
  });

  it('keeps free text, even "không", when the question is required', () => {
    expect(interpretReply(text, 'không')).toEqual({ value: 'không' });
    expect(interpretReply(text, 'x'.repeat(21))).toHaveProperty('invalid');
  });
});

/** The smallest valid flow set, plus `extra` flows. */
function flowSet(extra: Record<string, unknown>[]): FlowSet {
  const base = [
    {
      id: 'main',
      title: 'Menu',
      fallback: true,
      triggers: [
        { intent: 'menu', interrupt: true, keywords: ['menu'], payloads: ['MENU'] },
        { intent: 'help', interrupt: true, keywords: ['help'] },
        { intent: 'stop', interrupt: true, keywords: ['huy'] },
        { intent: 'human', interrupt: true, keywords: ['can bo'] },
      ],
      start: 'answer',
      nodes: { answer: { type: 'answer' } },
    },
    ...extra,
  ];
  const loaded = base.map((f) => {
    const parsed = parseFlowFile(`${String(f.id)}.yaml`, stringify(f));
    if (!parsed.flow) throw new FlowSetError(parsed.errors);
    return parsed.flow;
  });
  return FlowSet.compile(loaded, builtinActions());
}

function messages(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof FlowSetError) return err.errors.map((e) => e.message).join('\n');
    throw err;
  }
  return '';
}

describe('payload prefixes and data-driven options in flows', () => {
  const invite = {
    id: 'invite',
    title: 'Mời',
    triggers: [{ payload_prefixes: ['EVENT_'], var: 'ref', start: 'show' }, { payloads: ['EVENTS'] }],
    start: 'show',
    nodes: { show: { type: 'say', text: 'Sự kiện {{ref}}' } },
  };

  it('routes a payload by its prefix and hands the rest to the flow', () => {
    const set = flowSet([invite]);
    expect(set.triggers.byPayload('EVENT_K7M2Q9')).toMatchObject({
      flow: 'invite',
      node: 'show',
      var: 'ref',
      arg: 'K7M2Q9',
    });
    expect(set.triggers.byPayload('EVENTS')).toMatchObject({ flow: 'invite', node: 'show' });
    expect(set.triggers.byPayload('EVENTS')?.arg).toBeUndefined();
    expect(set.triggers.byPayload('EVENT_')).toBeUndefined();
  });

  it('checks prefixes: a variable is required, a prefix is claimed once, offered payloads must reach one', () => {
    const noVar = { ...invite, triggers: [{ payload_prefixes: ['EVENT_'] }] };
    expect(
      parseFlowFile('x.yaml', stringify(noVar))
        .errors.map((e) => e.message)
        .join(),
    ).toContain('payload_prefixes cần var');
    const twice = { ...invite, id: 'again', triggers: [{ payload_prefixes: ['EVENT_'], var: 'ref' }] };
    expect(messages(() => flowSet([invite, twice]))).toContain('tiền tố payload "EVENT_" đã dùng');
    const offering = {
      id: 'offer',
      title: 'Mời',
      triggers: [{ keywords: ['moi'] }],
      start: 'menu',
      nodes: {
        menu: {
          type: 'say',
          text: 'Mời',
          quick_replies: [
            { title: 'Lớp A', payload: 'EVENT_AAAAAA' },
            { title: 'Khảo sát', payload: 'SURVEY_AAAAAA' },
          ],
        },
      },
    };
    const errors = messages(() => flowSet([invite, offering]));
    expect(errors).not.toContain('EVENT_AAAAAA');
    expect(errors).toContain('payload "SURVEY_AAAAAA"');
  });

  it('requires options_var to be a variable the flow sets', () => {
    const ask = {
      id: 'quiz',
      title: 'Hỏi',
      triggers: [{ keywords: ['quiz'] }],
      start: 'q',
      nodes: {
        q: {
          type: 'ask',
          text: 'Câu hỏi',
          var: 'a',
          input: { type: 'text' },
          options_var: 'opts',
          next: 'done',
        },
        done: { type: 'end' },
      },
    };
    expect(messages(() => flowSet([ask]))).toContain('biến "opts" chưa được gán');
  });

  it('the shipped flows keep "hủy" as the opt-out word and "hủy đăng ký lớp" for classes', async () => {
    const { flows } = await loadFlowDirectory('flows');
    const set = FlowSet.compile(flows, builtinActions());
    expect(set.triggers.byText('Hủy', true)?.intent).toBe('stop');
    expect(set.triggers.byText('hủy đăng ký', true)?.intent).toBe('stop');
    expect(set.triggers.byText('hủy đăng ký lớp', true)).toBeUndefined();
    expect(set.triggers.byText('hủy đăng ký lớp', false)).toMatchObject({ flow: 'events', node: 'mine' });
    expect(set.triggers.byText('tôi muốn hủy đăng ký lớp học', false)).toMatchObject({
      flow: 'events',
      node: 'mine',
    });
    expect(set.triggers.byText('đăng ký lớp', false)).toMatchObject({ flow: 'events', node: 'list' });
    expect(set.triggers.byText('đăng ký', false)).toMatchObject({ flow: 'subscription' });
    expect(set.triggers.byText('khảo sát', false)).toMatchObject({ flow: 'surveys', node: 'list' });
    expect(set.triggers.byPayload('EVENT_K7M2Q9')).toMatchObject({
      flow: 'events',
      node: 'pick',
      arg: 'K7M2Q9',
    });
    expect(set.triggers.byPayload('EVENTCANCEL_K7M2Q9')).toMatchObject({
      flow: 'events',
      node: 'cancel_pick',
    });
    expect(set.triggers.byPayload('SURVEY_AB12CD')).toMatchObject({
      flow: 'surveys',
      node: 'begin',
      arg: 'AB12CD',
    });
  });
});
