/**
 * The knowledge index rebuild: started after a leaflet (or the lexicon) is saved, then polled until it is
 * done. The state lives outside the screens so it survives moving from "new leaflet" to its editor.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage } from './api';
import { num } from './format';
import type { RebuildState } from './types';

export interface RebuildView {
  state: RebuildState | undefined;
  /** Set when starting or polling failed (not when the rebuild itself failed: that is state.status). */
  error: string | undefined;
  polling: boolean;
}

const POLL_MS = 1000;
const GIVE_UP_MS = 15 * 60_000;

let view: RebuildView = { state: undefined, error: undefined, polling: false };
const listeners = new Set<(v: RebuildView) => void>();
let pollTimer: ReturnType<typeof setTimeout> | undefined;

function publish(change: Partial<RebuildView>): void {
  view = { ...view, ...change };
  for (const l of listeners) l(view);
}

async function poll(startedAt: number): Promise<void> {
  try {
    const state = await api.rebuildStatus();
    publish({ state, error: undefined });
    if (state.status === 'running' && Date.now() - startedAt < GIVE_UP_MS) {
      pollTimer = setTimeout(() => void poll(startedAt), POLL_MS);
      return;
    }
  } catch (err) {
    publish({ error: errorMessage(err) });
  }
  publish({ polling: false });
}

/** Forgets the last result (a save starts: an old "Xong" must not look like this save's). */
export function resetRebuild(): void {
  if (!view.polling) publish({ state: undefined, error: undefined });
}

/** Starts a rebuild and follows it until it is done or failed. */
export async function startRebuild(): Promise<void> {
  clearTimeout(pollTimer);
  publish({ state: { status: 'running' }, error: undefined, polling: true });
  try {
    await api.startRebuild();
  } catch (err) {
    // 409: one is already running, which is followed the same way.
    if ((err as { status?: number }).status !== 409) {
      publish({ error: errorMessage(err), polling: false, state: undefined });
      return;
    }
  }
  await poll(Date.now());
}

/** Reads the current state once (a rebuild started elsewhere shows up too) and follows it if running. */
export async function refreshRebuild(): Promise<void> {
  if (view.polling) return;
  try {
    const state = await api.rebuildStatus();
    publish({ state });
    if (state.status === 'running') {
      publish({ polling: true });
      await poll(Date.now());
    }
  } catch {
    // Not important enough to show: the status line stays empty.
  }
}

export function useRebuild(): RebuildView {
  const [current, setCurrent] = useState(view);
  useEffect(() => {
    listeners.add(setCurrent);
    setCurrent(view);
    return () => void listeners.delete(setCurrent);
  }, []);
  return current;
}

const STAGES: Record<string, string> = {
  load: 'đọc tài liệu',
  chunk: 'chia đoạn',
  chunks: 'chia đoạn',
  embed: 'tính vectơ',
  embeddings: 'tính vectơ',
  index: 'ghi chỉ mục',
  write: 'ghi chỉ mục',
};

/** The status line: "Đang xây lại chỉ mục…", "Xong: …", "Lỗi: …". */
export function RebuildStatus({ showIdle = false }: { showIdle?: boolean }) {
  const { state, error, polling } = useRebuild();
  let text: string | undefined;
  let cls = 'rebuild';
  if (error) {
    text = `Lỗi khi xây lại chỉ mục: ${error}`;
    cls += ' rebuild--failed';
  } else if (state?.status === 'running' || polling) {
    const p = state?.progress;
    const stage = p ? (STAGES[p.stage] ?? p.stage) : undefined;
    text = `Đang xây lại chỉ mục tìm kiếm…${stage ? ` ${stage}` : ''}${p && p.total ? ` ${num(p.done)}/${num(p.total)}` : ''}`;
    cls += ' rebuild--running';
  } else if (state?.status === 'done') {
    text = 'Xong: chỉ mục tìm kiếm đã được xây lại, trợ lý dùng nội dung mới.';
    cls += ' rebuild--done';
  } else if (state?.status === 'failed') {
    text = `Xây lại chỉ mục thất bại: ${state.error ?? 'không rõ lỗi'}`;
    cls += ' rebuild--failed';
  } else if (showIdle && state?.status === 'idle') {
    text = 'Chỉ mục chưa được xây lại từ khi máy chủ khởi động.';
  }
  if (!text) return <p class="rebuild" data-testid="rebuild-status" role="status" aria-live="polite" />;
  const p = state?.progress;
  return (
    <div class={cls} data-testid="rebuild-status" role="status" aria-live="polite">
      {text}
      {state?.status === 'running' && p && p.total > 0 && (
        <progress max={p.total} value={p.done} aria-label="Tiến độ xây lại chỉ mục" />
      )}
    </div>
  );
}
