/**
 * `npm run flows:check [dir]`: validates every flow file and prints each error with its file, line, flow
 * and node. Exits 1 when anything is wrong, so CI and admins catch a broken flow before workers do.
 */
import path from 'node:path';
import { builtinActions } from '../src/conversation/actions/builtins.js';
import { checkFlows } from '../src/conversation/flows/check.js';
import { formatFlowError, loadFlowDirectory } from '../src/conversation/flows/load.js';

const dir = path.resolve(process.argv[2] ?? process.env.FLOWS_DIR ?? 'flows');
const { flows, errors } = await loadFlowDirectory(dir);
const all = errors.length > 0 ? errors : checkFlows(flows, builtinActions());
if (all.length > 0) {
  for (const e of all) console.error(formatFlowError(e));
  console.error(`\n${all.length} lỗi trong ${path.relative(process.cwd(), dir) || dir}`);
  process.exit(1);
}
const nodes = flows.reduce((n, f) => n + Object.keys(f.definition.nodes).length, 0);
console.log(`OK: ${flows.length} luồng, ${nodes} nút, không có lỗi.`);
