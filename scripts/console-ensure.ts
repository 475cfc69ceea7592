import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Before `npm start`: builds the console (dist/console) when it is missing or older than its sources, so a
 * fresh clone serves /admin/ and a second start does not rebuild (nor disturb a running server's files).
 */
const SOURCES = ['console', 'package-lock.json'];
const BUILT = 'dist/console/index.html';

function newest(entry: string): number {
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const name of readdirSync(entry)) latest = Math.max(latest, newest(path.join(entry, name)));
  return latest;
}

function builtAt(): number {
  try {
    return statSync(BUILT).mtimeMs;
  } catch {
    return 0;
  }
}

if (builtAt() < Math.max(...SOURCES.map(newest))) {
  const result = spawnSync(
    'npx',
    ['vite', 'build', '--config', 'console/vite.config.ts', '--logLevel', 'warn'],
    {
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) {
    console.error('Không build được bảng điều khiển (console/); xem lỗi ở trên.');
    process.exit(result.status ?? 1);
  }
}
