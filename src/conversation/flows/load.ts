import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument, isMap, isScalar } from 'yaml';
import { flowSchema, type FlowDefinition } from './schema.js';

/** One problem in a flow file, located precisely enough for an admin to fix it. */
export interface FlowError {
  file: string;
  flow?: string;
  node?: string;
  line?: number;
  message: string;
}

export function formatFlowError(e: FlowError): string {
  const where = [e.flow, e.node].filter(Boolean).join(' › ');
  return `${e.file}${e.line ? `:${e.line}` : ''}${where ? ` [${where}]` : ''}: ${e.message}`;
}

export interface LoadedFlow {
  file: string;
  definition: FlowDefinition;
  /** Line of each node's key in the file, for error messages. */
  nodeLines: Map<string, number>;
}

export interface LoadResult {
  flows: LoadedFlow[];
  errors: FlowError[];
}

/** Parses one flow file's text; `file` is the name used in error messages. */
export function parseFlowFile(file: string, source: string): { flow?: LoadedFlow; errors: FlowError[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number | undefined) => (offset === undefined ? undefined : lineCounter.linePos(offset).line);

  if (doc.errors.length > 0) {
    return {
      errors: doc.errors.map((err) => ({ file, line: lineOf(err.pos[0]), message: `YAML không hợp lệ: ${err.message.split('\n')[0]}` })),
    };
  }

  const nodeLines = new Map<string, number>();
  const nodesMap = doc.get('nodes', true);
  if (isMap(nodesMap)) {
    for (const pair of nodesMap.items) {
      if (isScalar(pair.key)) nodeLines.set(String(pair.key.value), lineOf(pair.key.range?.[0]) ?? 0);
    }
  }
  const rawId = doc.get('id');
  const flowId = typeof rawId === 'string' ? rawId : undefined;

  const parsed = flowSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    return {
      errors: parsed.error.issues.map((issue) => {
        const p = issue.path.map(String);
        const node = p[0] === 'nodes' ? p[1] : undefined;
        const valueNode = doc.getIn(issue.path as (string | number)[], true) as { range?: [number, number, number] } | undefined;
        const line = lineOf(valueNode?.range?.[0]) ?? (node ? nodeLines.get(node) : undefined);
        const field = (node ? p.slice(2) : p).join('.');
        return { file, flow: flowId, node, line, message: field ? `${field}: ${issue.message}` : issue.message };
      }),
    };
  }
  return { flow: { file, definition: parsed.data, nodeLines }, errors: [] };
}

/** Reads every `*.yaml` / `*.yml` file of a directory (not recursive: one level keeps flows easy to find). */
export async function loadFlowDirectory(dir: string, displayRoot = process.cwd()): Promise<LoadResult> {
  const entries = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
  const flows: LoadedFlow[] = [];
  const errors: FlowError[] = [];
  for (const name of entries) {
    const full = path.join(dir, name);
    const display = path.relative(displayRoot, full) || name;
    const result = parseFlowFile(display, await readFile(full, 'utf8'));
    if (result.flow) flows.push(result.flow);
    errors.push(...result.errors);
  }
  if (entries.length === 0) errors.push({ file: path.relative(displayRoot, dir) || dir, message: 'không có tệp luồng *.yaml nào' });
  return { flows, errors };
}
