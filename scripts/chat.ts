/**
 * `npm run chat`: talk to the assistant in a terminal.
 *   npm run chat                        # in-process, with the shipped flows and knowledge (needs Redis)
 *   npm run chat -- --url http://localhost:3000   # through a running server's /api/chat
 *   npm run chat -- --user tester-1     # another worker identity (each has its own place in the flows)
 */
import os from 'node:os';
import readline from 'node:readline';
import { randomUUID } from 'node:crypto';
import { Command } from 'commander';
import { App } from '../src/app.js';
import { ConsoleAdapter } from '../src/channels/console/adapter.js';
import { loadConfig } from '../src/platform/config.js';
import { ensureRedisFor } from '../src/platform/embedded-redis.js';
import { createLogger } from '../src/platform/logger.js';
import type { WebMessage } from '../src/channels/web/contract.js';

const program = new Command()
  .name('chat')
  .description('Trò chuyện với Trợ lý Công đoàn trong terminal')
  .option('--url <url>', 'gửi qua /api/chat của một máy chủ đang chạy')
  .option('--user <id>', 'mã người dùng', `console-${os.userInfo().username}`)
  .parse();
const opts = program.opts<{ url?: string; user: string }>();

const rl = readline.createInterface({ input: process.stdin, output: process.stdout, prompt: '\n> ' });
// Created before any await so that piped input is buffered, not lost while the first reply is computed.
const lines = rl[Symbol.asyncIterator]();
console.log('Trợ lý Công đoàn — gõ tin nhắn rồi Enter; gõ /thoat để thoát.\n');

/** Reads lines until /thoat or end of input (works when input is piped too). */
async function readLines(handle: (line: string) => Promise<unknown>): Promise<void> {
  rl.prompt();
  for (let next = await lines.next(); !next.done; next = await lines.next()) {
    const line = String(next.value).trim();
    if (line === '/thoat' || line === '/quit') break;
    if (line) await handle(line);
    rl.prompt();
  }
}

if (opts.url) {
  // Remote mode: quick replies are printed as a numbered list; typing the number sends its payload.
  let offered: { title: string; payload: string }[] = [];
  const send = async (body: Record<string, string>) => {
    const res = await fetch(new URL('/api/chat', opts.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: opts.user, id: randomUUID(), ...body }),
    });
    const json = (await res.json()) as { messages?: WebMessage[]; error?: { message: string } };
    if (!res.ok) return console.log(`\n⚠️  ${json.error?.message ?? res.status}`);
    for (const m of json.messages ?? []) {
      let out = m.text;
      if (m.citations?.length)
        out += `\n(Căn cứ: ${m.citations.map((c) => `Điều ${c.article}, ${c.lawId}`).join('; ')})`;
      if (m.quickReplies?.length) {
        offered = m.quickReplies;
        out += `\n${m.quickReplies.map((q, i) => `  [${i + 1}] ${q.title}`).join('\n')}`;
      }
      console.log(`\n🤖 ${out.replace(/\n/g, '\n   ')}`);
    }
  };
  await send({ payload: 'GET_STARTED' });
  await readLines(async (line) => {
    const choice = /^\d+$/.test(line) ? offered[Number(line) - 1] : undefined;
    await send(choice ? { text: choice.title, payload: choice.payload } : { text: line });
  });
} else {
  const config = loadConfig();
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });
  const redis = await ensureRedisFor(config, logger);
  const app = await App.create({ config, logger });
  const adapter = app.withTurnPipeline(
    new ConsoleAdapter(process.stdout, { id: opts.user, name: os.userInfo().username }),
  );
  const logic = app.botLogic;
  await adapter.say('bắt đầu', logic);
  await readLines((line) => adapter.say(line, logic));
  await app.stop();
  await redis.stop();
}
rl.close();
