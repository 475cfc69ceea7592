import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { builtinActions } from '../src/conversation/actions/builtins.js';
import { FlowSet, FlowSetError } from '../src/conversation/flows/flow-set.js';
import { formatFlowError } from '../src/conversation/flows/load.js';
import { redisUrl } from './helpers/redis.js';

const run = promisify(execFile);

/** The smallest valid flow set: the four global intents and a fallback. */
function baseFlows(): Record<string, Record<string, unknown>> {
  return {
    'main.yaml': {
      id: 'main',
      title: 'Menu',
      triggers: [{ intent: 'menu', interrupt: true, keywords: ['menu'], payloads: ['MENU'] }],
      start: 'menu',
      nodes: {
        menu: { type: 'say', text: 'Chọn:', quick_replies: [{ title: 'Hỏi', goto: 'ask_name' }] },
        ask_name: { type: 'ask', text: 'Tên?', var: 'name', input: { type: 'text' }, next: 'hello' },
        hello: { type: 'say', text: 'Chào {{name}}' },
      },
    },
    'other.yaml': {
      id: 'other',
      title: 'Khác',
      fallback: true,
      triggers: [
        { intent: 'help', interrupt: true, keywords: ['help'] },
        { intent: 'stop', interrupt: true, keywords: ['huy'], start: 'bye' },
        { intent: 'human', interrupt: true, keywords: ['can bo'], start: 'human' },
      ],
      start: 'answer',
      nodes: {
        answer: { type: 'answer', next: 'done' },
        done: { type: 'end', text: 'Xong' },
        bye: { type: 'action', action: 'unsubscribe', next: 'done' },
        human: { type: 'action', action: 'handoff', next: 'done' },
      },
    },
  };
}

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function writeFlows(files: Record<string, Record<string, unknown> | string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ua-flows-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    await writeFile(path.join(dir, name), typeof content === 'string' ? content : stringify(content));
  }
  return dir;
}

async function errorsFor(files: Record<string, Record<string, unknown> | string>): Promise<string[]> {
  const dir = await writeFlows(files);
  try {
    await FlowSet.fromDirectory(dir, builtinActions());
    return [];
  } catch (err) {
    if (!(err instanceof FlowSetError)) throw err;
    return err.errors.map((e) => formatFlowError({ ...e, file: path.basename(e.file) }));
  }
}

function mutate(fn: (f: ReturnType<typeof baseFlows>) => void): ReturnType<typeof baseFlows> {
  const flows = baseFlows();
  fn(flows);
  return flows;
}

const mainNodes = (f: ReturnType<typeof baseFlows>) =>
  f['main.yaml']!.nodes as Record<string, Record<string, unknown>>;

describe('flow validation', () => {
  it('accepts the base set and the shipped flows', async () => {
    expect(await errorsFor(baseFlows())).toEqual([]);
    const shipped = await FlowSet.fromDirectory(path.resolve('flows'), builtinActions());
    expect(shipped.ids).toContain('main');
  });

  const cases: [string, () => Record<string, Record<string, unknown> | string>, RegExp][] = [
    [
      'YAML syntax error',
      () => ({ ...baseFlows(), 'main.yaml': 'id: main\nnodes:\n  a: [unclosed\n' }),
      /^main\.yaml:\d+: YAML không hợp lệ/,
    ],
    [
      'schema error (say without text)',
      () => mutate((f) => delete mainNodes(f).hello!.text),
      /^main\.yaml:\d+ \[main › hello\]: text: /,
    ],
    [
      'unknown node type',
      () => mutate((f) => (mainNodes(f).hello!.type = 'shout')),
      /^main\.yaml:\d+ \[main › hello\]: type: /,
    ],
    [
      'unknown target',
      () => mutate((f) => (mainNodes(f).ask_name!.next = 'nowhere')),
      /^main\.yaml:\d+ \[main › ask_name\]: next: không có nút "nowhere" trong luồng "main"/,
    ],
    [
      'unknown flow in a target',
      () => mutate((f) => (mainNodes(f).ask_name!.next = 'ghost/start')),
      /\[main › ask_name\]: next: không có luồng "ghost"/,
    ],
    [
      'unreachable node',
      () => mutate((f) => (mainNodes(f).orphan = { type: 'say', text: 'Không ai tới' })),
      /^main\.yaml:\d+ \[main › orphan\]: không thể tới được nút này/,
    ],
    [
      'unknown action',
      () => mutate((f) => (mainNodes(f).hello = { type: 'action', action: 'launch_rocket' })),
      /\[main › hello\]: không có hành động "launch_rocket"/,
    ],
    [
      'bad action arguments',
      () =>
        mutate(
          (f) =>
            (mainNodes(f).hello = {
              type: 'action',
              action: 'set_attribute',
              args: { name: 'shoe_size', value: '42' },
            }),
        ),
      /\[main › hello\]: tham số của "set_attribute" sai: name/,
    ],
    [
      'unknown action outcome',
      () =>
        mutate(
          (f) => (mainNodes(f).hello = { type: 'action', action: 'subscribe', on: { exploded: 'menu' } }),
        ),
      /\[main › hello\]: on\.exploded: "subscribe" không có kết quả này/,
    ],
    [
      'unknown variable',
      () => mutate((f) => (mainNodes(f).hello!.text = 'Chào {{nickname}}')),
      /\[main › hello\]: biến "nickname" chưa được gán/,
    ],
    [
      'unknown profile field',
      () => mutate((f) => (mainNodes(f).hello!.text = 'Chào {{profile.shoe_size}}')),
      /\[main › hello\]: hồ sơ không có trường "shoe_size"/,
    ],
    [
      'broken template',
      () => mutate((f) => (mainNodes(f).hello!.text = 'Chào {{name')),
      /\[main › hello\]: dấu \{\{ \}\} không khớp/,
    ],
    [
      'payload nobody handles',
      () =>
        mutate(
          (f) =>
            (mainNodes(f).menu!.quick_replies = [
              { title: 'X', payload: 'NOBODY' },
              { title: 'Hỏi', goto: 'ask_name' },
            ]),
        ),
      /\[main › menu\]: payload "NOBODY" .* không có trigger nào xử lý/,
    ],
    [
      'loop that never waits',
      () =>
        mutate((f) => {
          mainNodes(f).hello!.next = 'again';
          mainNodes(f).again = { type: 'goto', target: 'hello' };
        }),
      /vòng lặp không chờ người dùng trả lời: main\/hello → main\/again → main\/hello/,
    ],
    [
      'duplicate flow id',
      () => ({ ...baseFlows(), 'copy.yaml': { ...baseFlows()['main.yaml']!, triggers: [] } }),
      /^(copy|main)\.yaml \[main\]: id "main" trùng với luồng trong .*(main|copy)\.yaml/,
    ],
    [
      'missing global intent',
      () => mutate((f) => (f['other.yaml']!.triggers as unknown[]).splice(1, 1)),
      /thiếu ý định chung "stop"/,
    ],
    [
      'no fallback flow',
      () => mutate((f) => (f['other.yaml']!.fallback = false)),
      /cần đúng một luồng có "fallback: true"/,
    ],
    [
      'keyword claimed twice',
      () => mutate((f) => (f['main.yaml']!.triggers as { keywords: string[] }[])[0]!.keywords.push('Hủy')),
      /\[other\]: từ khóa "huy" đã dùng ở main \(triggers\[0\]\)/,
    ],
  ];

  it.each(cases)('rejects %s, naming the file and node', async (_name, files, expected) => {
    const errors = await errorsFor(files());
    expect(
      errors.some((e) => expected.test(e)),
      errors.join('\n'),
    ).toBe(true);
  });

  it('npm run flows:check prints every error with file and node and exits 1', async () => {
    const dir = await writeFlows(
      mutate((f) => {
        mainNodes(f).ask_name!.next = 'nowhere';
        mainNodes(f).hello!.text = 'Chào {{nickname}}';
      }),
    );
    const result = await run('npx', ['tsx', 'scripts/flows-check.ts', dir]).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/main\.yaml:\d+ \[main › ask_name\]: next: không có nút "nowhere"/);
    expect(result.stderr).toMatch(/main\.yaml:\d+ \[main › hello\]: biến "nickname"/);
    const ok = await run('npx', ['tsx', 'scripts/flows-check.ts', 'flows']);
    expect(ok.stdout).toMatch(/^OK: \d+ luồng/);
  });

  it('the server refuses to start with a broken flow', async () => {
    const dir = await writeFlows(mutate((f) => (mainNodes(f).ask_name!.next = 'nowhere')));
    const result = await run('npx', ['tsx', 'src/main.ts'], {
      env: { ...process.env, FLOWS_DIR: dir, REDIS_URL: redisUrl(), PORT: '0', LOG_LEVEL: 'silent' },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/main\.yaml:\d+ \[main › ask_name\]: next: không có nút "nowhere"/);
  });
});
