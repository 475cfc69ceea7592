/**
 * `npm run subscribers:import -- file.csv [--dry-run]`: adds or updates subscribers from a CSV file (the
 * columns are described in src/broadcast/csv-import.ts and the README). Valid rows are applied, invalid ones
 * are listed by line number; importing the same file again changes nothing.
 */
import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { HeaderError, importSubscribers } from '../src/broadcast/csv-import.js';
import { openBroadcastCli } from './cli-broadcast.js';

const program = new Command()
  .name('subscribers:import')
  .argument('<file>', 'tệp CSV có dòng tiêu đề')
  .option('--dry-run', 'chỉ kiểm tra, không ghi gì')
  .option('--json', 'in kết quả dạng JSON')
  .parse();
const [file] = program.args as [string];
const opts = program.opts<{ dryRun?: boolean; json?: boolean }>();

if (!existsSync(file)) {
  console.error(`Không thấy tệp ${file}.`);
  process.exit(2);
}
const cli = await openBroadcastCli();
let exitCode = 0;
try {
  let last = 0;
  const report = await importSubscribers(createReadStream(file), cli.subscribers, {
    sourceName: path.basename(file),
    dryRun: opts.dryRun,
    onRow: (r) => {
      if (!opts.json && process.stderr.isTTY && r.rows - last >= 1000) {
        last = r.rows;
        process.stderr.write(`\r${r.rows} dòng…`);
      }
    },
  });
  if (opts.json) {
    console.log(JSON.stringify(report));
  } else {
    if (last) process.stderr.write('\r');
    const verb = opts.dryRun ? 'sẽ' : 'đã';
    console.log(
      `${report.rows} dòng: ${verb} thêm ${report.created}, ${verb} cập nhật ${report.updated}, ` +
        `không đổi ${report.unchanged}, lỗi ${report.errors.length}.`,
    );
    for (const e of report.errors) console.log(`  dòng ${e.line}: ${e.message}`);
  }
  if (report.errors.length) exitCode = 1;
} catch (err) {
  if (!(err instanceof HeaderError)) throw err;
  console.error(err.message);
  exitCode = 2;
} finally {
  await cli.close();
}
process.exit(exitCode);
