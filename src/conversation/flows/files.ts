import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ActionRegistry } from '../actions/registry.js';
import { checkFlows } from './check.js';
import { formatFlowError, loadFlowDirectory, parseFlowFile, type LoadedFlow } from './load.js';

export class FlowEditError extends Error {
  override name = 'FlowEditError';
  constructor(
    readonly code: 'not_found' | 'invalid',
    message: string,
    readonly problems: string[] = [],
  ) {
    super(message);
  }
}

/**
 * Admins' edits to flows/: a flow is checked together with all the others by the same rules as
 * `npm run flows:check` (so a broken jump into another flow is caught too), written only when it passes,
 * and then the running flows are swapped for the new set. A broken flow never reaches a worker.
 */
export class FlowFiles {
  constructor(
    private readonly dir: string,
    private readonly actions: ActionRegistry,
    private readonly reload: () => Promise<void>,
  ) {}

  private async loaded(): Promise<LoadedFlow[]> {
    return (await loadFlowDirectory(this.dir, this.dir)).flows;
  }

  async list(): Promise<{ id: string; file: string; description?: string }[]> {
    return (await this.loaded()).map((f) => ({
      id: f.definition.id,
      file: f.file,
      description: (f.definition as { description?: string }).description,
    }));
  }

  private async find(id: string): Promise<LoadedFlow> {
    const flow = (await this.loaded()).find((f) => f.definition.id === id);
    if (!flow) throw new FlowEditError('not_found', `Không có luồng "${id}"`);
    return flow;
  }

  async read(id: string): Promise<{ id: string; file: string; yaml: string }> {
    const flow = await this.find(id);
    return { id, file: flow.file, yaml: await readFile(path.join(this.dir, flow.file), 'utf8') };
  }

  /** Problems of `yaml` as the new text of flow `id`, checked with every other flow. */
  async validate(id: string, yaml: string): Promise<string[]> {
    const all = await this.loaded();
    const current = all.find((f) => f.definition.id === id);
    const file = current?.file ?? `${id}.yaml`;
    const parsed = parseFlowFile(file, yaml);
    if (!parsed.flow) return parsed.errors.map(formatFlowError);
    if (parsed.flow.definition.id !== id) return [`${file}: id phải giữ là "${id}"`];
    const others = all.filter((f) => f.definition.id !== id);
    return checkFlows([...others, parsed.flow], this.actions).map(formatFlowError);
  }

  async write(id: string, yaml: string): Promise<void> {
    const flow = await this.find(id);
    const problems = await this.validate(id, yaml);
    if (problems.length > 0)
      throw new FlowEditError('invalid', `Luồng có lỗi, chưa lưu: ${problems.join('; ')}`, problems);
    const target = path.join(this.dir, flow.file);
    const tmp = `${target}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(tmp, yaml, 'utf8');
    await rename(tmp, target);
    await this.reload();
  }
}
