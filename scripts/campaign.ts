/**
 * `npm run campaign -- <command>`: create, schedule and follow a broadcast campaign from a terminal.
 *
 *   npm run campaign -- create campaign.json            (or --name, --text, --where, --at, --cron …)
 *   npm run campaign -- preview --where "khu_cong_nghiep=An Nghiệp" --where "topic=lừa đảo"
 *   npm run campaign -- submit <id>                     (scheduled, or waiting for a second officer)
 *   npm run campaign -- approve <id> --officer lan
 *   npm run campaign -- pause|resume|cancel <id>
 *   npm run campaign -- test <id> --channel zalo-oa --user 1234567890
 *   npm run campaign -- status <id>  |  follow <id>  |  report <id> [--json]  |  export <id> [--out f.csv]
 *   npm run campaign -- list
 */
import { createWriteStream, readFileSync } from 'node:fs';
import os from 'node:os';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { CampaignError, type Campaign, type CampaignInput } from '../src/broadcast/campaigns.js';
import { segmentSchema, type Segment, type SegmentFilter } from '../src/broadcast/segments.js';
import type { CampaignReport } from '../src/broadcast/service.js';
import { openBroadcastCli, type BroadcastProcess } from './cli-broadcast.js';

const defaultOfficer = process.env.UA_OFFICER ?? os.userInfo().username;

/** "khu_cong_nghiep=An Nghiệp|Nhơn Trạch" → one filter; values separated by "|". */
function parseWhere(value: string, previous: SegmentFilter[] = []): SegmentFilter[] {
  const i = value.indexOf('=');
  if (i < 1) throw new CampaignError(`--where "${value}": viết dạng truong=gia_tri (ví dụ topic=lua_dao)`);
  const field = value.slice(0, i).trim() as SegmentFilter['field'];
  const values = value
    .slice(i + 1)
    .split('|')
    .map((v) => v.trim())
    .filter(Boolean);
  return [...previous, { field, values }];
}

function segmentOf(where: SegmentFilter[] | undefined): Segment {
  const parsed = segmentSchema.safeParse({ where: where ?? [] });
  if (!parsed.success)
    throw new CampaignError(
      `nhóm người nhận không hợp lệ: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
    );
  return parsed.data;
}

interface CreateOptions {
  name?: string;
  text?: string;
  where?: SegmentFilter[];
  at?: string;
  cron?: string;
  approval?: boolean;
  link?: string;
  image?: string;
  poll?: string[];
  tag?: string;
  officer: string;
  submit?: boolean;
}

function inputFrom(file: string | undefined, o: CreateOptions): CampaignInput {
  if (file) return JSON.parse(readFileSync(file, 'utf8')) as CampaignInput;
  if (!o.text) throw new CampaignError('cần tệp JSON hoặc --text "nội dung"');
  const [linkTitle, linkUrl] = o.link?.includes('|') ? o.link.split('|') : ['Xem chi tiết', o.link];
  return {
    name: o.name ?? o.text.slice(0, 60),
    content: {
      text: o.text,
      ...(linkUrl ? { link: { title: linkTitle!, url: linkUrl } } : {}),
      ...(o.image ? { imageUrl: o.image } : {}),
      ...(o.poll?.length
        ? { poll: { options: o.poll.map((title, i) => ({ id: `o${i + 1}`, title })) } }
        : {}),
    },
    segment: segmentOf(o.where),
    schedule: o.cron ? { type: 'cron', cron: o.cron } : o.at ? { type: 'at', at: o.at } : { type: 'now' },
    requiresApproval: o.approval ?? false,
    ...(o.tag ? { messengerTag: o.tag as CampaignInput['messengerTag'] } : {}),
  };
}

const STATUS_VI: Record<Campaign['status'], string> = {
  draft: 'nháp',
  awaiting_approval: 'chờ duyệt',
  scheduled: 'đã lên lịch',
  running: 'đang gửi',
  paused: 'tạm dừng',
  completed: 'đã xong',
  cancelled: 'đã hủy',
};

function describe(c: Campaign): string {
  const when =
    c.schedule.type === 'now'
      ? 'gửi ngay'
      : c.schedule.type === 'at'
        ? `lúc ${c.schedule.at}`
        : `lặp "${c.schedule.cron}"`;
  return `${c.id}  ${STATUS_VI[c.status].padEnd(11)} ${when.padEnd(24)} ${c.name}`;
}

function printReport(report: CampaignReport): void {
  const { campaign } = report;
  console.log(describe(campaign));
  for (const run of report.runs) {
    console.log(
      `  đợt ${run.runId} (${run.status}): nhắm ${run.targeted}, đã gửi ${run.sent}, lỗi ${run.failed}, bỏ qua ${run.skipped}` +
        `, không rõ ${run.unknown}, còn chờ ${run.queued}, đã nhận ${run.delivered}, đã đọc ${run.read}`,
    );
    for (const [status, reasons] of Object.entries(run.reasons)) {
      for (const [reason, count] of Object.entries(reasons)) console.log(`    ${status} ${reason}: ${count}`);
    }
    for (const [attribute, values] of Object.entries(run.breakdown)) {
      for (const [value, counts] of Object.entries(values)) {
        console.log(
          `    ${attribute} = ${value}: ${Object.entries(counts)
            .map(([s, n]) => `${s} ${n}`)
            .join(', ')}`,
        );
      }
    }
  }
  if (report.poll) {
    const titles = new Map(campaign.content.poll?.options.map((o) => [o.id, o.title]));
    console.log(
      `  bình chọn: ${
        Object.entries(report.poll)
          .map(([id, n]) => `${titles.get(id) ?? id} ${n}`)
          .join(', ') || 'chưa có'
      }`,
    );
  }
}

/** Shows a progress bar for the campaign's latest run until it is no longer sending. */
async function follow(cli: BroadcastProcess, id: string, pollMs = 500): Promise<void> {
  const bar = new cliProgress.SingleBar(
    {
      format: '{bar} {value}/{total} | gửi {sent} lỗi {failed} bỏ qua {skipped} | {status}',
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  for (;;) {
    const report = await cli.broadcast.service.report(id);
    const run = report.runs.at(-1);
    const { status } = report.campaign;
    if (run) {
      const counts = {
        sent: run.sent,
        failed: run.failed,
        skipped: run.skipped + run.unknown,
        status: STATUS_VI[status],
      };
      const total = Math.max(run.targeted, run.processed, 1);
      if (!started) bar.start(total, run.processed, counts);
      started = true;
      bar.setTotal(total);
      bar.update(run.processed, counts);
      if (run.status === 'completed' || run.status === 'cancelled') break;
    }
    if (['completed', 'cancelled', 'draft', 'awaiting_approval'].includes(status)) break;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  if (started) bar.stop();
  printReport(await cli.broadcast.service.report(id));
}

const program = new Command().name('campaign').description('Chiến dịch gửi tin của công đoàn');
const officer = () => new Option('--officer <name>', 'cán bộ thực hiện').default(defaultOfficer);

function action<A extends unknown[]>(fn: (cli: BroadcastProcess, ...args: A) => Promise<void>) {
  return async (...args: A) => {
    const cli = await openBroadcastCli();
    try {
      await fn(cli, ...args);
    } catch (err) {
      if (!(err instanceof CampaignError || err instanceof SyntaxError)) throw err;
      console.error(`Lỗi: ${err.message}`);
      process.exitCode = 1;
    } finally {
      await cli.close();
    }
  };
}

program
  .command('create')
  .description('tạo chiến dịch từ tệp JSON hoặc từ các tùy chọn')
  .argument('[file]', 'tệp JSON (name, content, segment, schedule, requiresApproval)')
  .option('--name <name>')
  .option('--text <text>', 'nội dung tin')
  .option(
    '--where <field=values>',
    'điều kiện nhóm người nhận, lặp lại được (giá trị cách nhau bởi |)',
    parseWhere,
  )
  .option('--at <local>', 'gửi lúc (giờ Việt Nam), ví dụ 2026-12-01T08:00')
  .option('--cron <pattern>', 'lặp theo lịch cron (giờ Việt Nam), ví dụ "0 8 * * 1"')
  .option('--link <title|url>', 'nút mở trang web')
  .option('--image <url>', 'ảnh kèm theo')
  .option('--poll <option...>', 'các lựa chọn bình chọn')
  .option('--tag <tag>', 'thẻ Messenger cho tin ngoài 24 giờ (CONFIRMED_EVENT_UPDATE …)')
  .option('--approval', 'cần cán bộ thứ hai duyệt')
  .option('--submit', 'gửi đi (hoặc chuyển duyệt) ngay sau khi tạo')
  .addOption(officer())
  .action(
    action(async (cli, file: string | undefined, o: CreateOptions) => {
      const { service } = cli.broadcast;
      let campaign = await service.create(inputFrom(file, o), o.officer);
      const audience = await service.preview(campaign.segment);
      if (o.submit) campaign = await service.submit(campaign.id, o.officer);
      console.log(describe(campaign));
      console.log(`  người nhận hiện có (đã đồng ý): ${audience}`);
    }),
  );

program
  .command('preview')
  .description('đếm người nhận của một nhóm')
  .option('--where <field=values>', 'điều kiện, lặp lại được', parseWhere)
  .action(
    action(async (cli, o: { where?: SegmentFilter[] }) => {
      console.log(await cli.broadcast.service.preview(segmentOf(o.where)));
    }),
  );

program
  .command('submit')
  .argument('<id>')
  .addOption(officer())
  .action(
    action(async (cli, id: string, o: { officer: string }) =>
      console.log(describe(await cli.broadcast.service.submit(id, o.officer))),
    ),
  );

program
  .command('approve')
  .argument('<id>')
  .addOption(officer())
  .action(
    action(async (cli, id: string, o: { officer: string }) =>
      console.log(describe(await cli.broadcast.service.approve(id, o.officer))),
    ),
  );

for (const verb of ['pause', 'resume', 'cancel'] as const) {
  program
    .command(verb)
    .argument('<id>')
    .action(action(async (cli, id: string) => console.log(describe(await cli.broadcast.service[verb](id)))));
}

program
  .command('test')
  .description('gửi thử cho chính mình')
  .argument('<id>')
  .requiredOption('--channel <channel>')
  .requiredOption('--user <userId>')
  .action(
    action(async (cli, id: string, o: { channel: string; user: string }) => {
      const ids = await cli.broadcast.service.testSend(id, { channel: o.channel, userId: o.user });
      console.log(`Đã gửi thử (${ids.length} tin).`);
    }),
  );

program
  .command('status')
  .argument('<id>')
  .action(action(async (cli, id: string) => printReport(await cli.broadcast.service.report(id))));

program
  .command('follow')
  .description('theo dõi tiến độ với thanh tiến trình')
  .argument('<id>')
  .action(action(async (cli, id: string) => follow(cli, id)));

program
  .command('report')
  .argument('<id>')
  .option('--json')
  .action(
    action(async (cli, id: string, o: { json?: boolean }) => {
      const report = await cli.broadcast.service.report(id);
      if (o.json) console.log(JSON.stringify(report, null, 2));
      else printReport(report);
    }),
  );

program
  .command('export')
  .description('xuất kết quả từng người nhận ra CSV')
  .argument('<id>')
  .option('--run <runId>', 'đợt gửi (mặc định đợt mới nhất)')
  .option('--out <file>', 'ghi ra tệp thay vì màn hình')
  .action(
    action(async (cli, id: string, o: { run?: string; out?: string }) => {
      const campaign = await cli.broadcast.campaigns.require(id);
      const runId = o.run ?? campaign.runs.at(-1);
      if (!runId) throw new CampaignError('chiến dịch chưa gửi đợt nào');
      const out: Writable = o.out ? createWriteStream(o.out) : process.stdout;
      await pipeline(Readable.from(cli.broadcast.service.exportCsv(runId)), out, { end: Boolean(o.out) });
    }),
  );

program.command('list').action(
  action(async (cli) => {
    for (const c of await cli.broadcast.campaigns.list()) console.log(describe(c));
  }),
);

await program.parseAsync();
