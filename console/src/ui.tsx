/** Small shared pieces: data loading, action state, error banner, session context, layout helpers. */
import type { ComponentChildren } from 'preact';
import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage } from './api';
import { roleAllows } from './format';
import type { Role, User } from './types';

export interface SessionValue {
  user: User;
  can: (role: Role) => boolean;
  logout: () => void;
}

export const SessionContext = createContext<SessionValue>({
  user: { id: '', username: '', name: '', role: 'viewer', disabled: false, createdAt: '' },
  can: () => false,
  logout: () => undefined,
});

export function useSession(): SessionValue {
  return useContext(SessionContext);
}

export function sessionValue(user: User, logout: () => void): SessionValue {
  return { user, can: (role) => roleAllows(user.role, role), logout };
}

export interface Async<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload: () => Promise<void>;
  setData: (data: T) => void;
}

/** Loads data on mount and whenever `deps` change; `reload` fetches again without clearing what is shown. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): Async<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const result = await loadRef.current();
      if (mine !== generation.current) return;
      setData(result);
      setError(undefined);
    } catch (err) {
      if (mine !== generation.current) return;
      setError(errorMessage(err));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    setData(undefined);
    void reload();
    return () => {
      generation.current++;
    };
    // The caller names what the load depends on (like useEffect's own list).
  }, deps);

  return { data, error, loading, reload, setData };
}

export interface Action {
  busy: boolean;
  error: string | undefined;
  notice: string | undefined;
  /** Runs `work`; its returned string (if any) is shown as a success notice, a throw as an error. */
  run: (work: () => Promise<string | void>) => Promise<boolean>;
  clear: () => void;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  const run = useCallback(async (work: () => Promise<string | void>) => {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      const message = await work();
      if (mounted.current && message) setNotice(message);
      return true;
    } catch (err) {
      if (mounted.current) setError(errorMessage(err));
      return false;
    } finally {
      if (mounted.current) setBusy(false);
    }
  }, []);
  const clear = useCallback(() => {
    setError(undefined);
    setNotice(undefined);
  }, []);
  return { busy, error, notice, run, clear };
}

export function ErrorBanner({ error }: { error: string | undefined }) {
  if (!error) return null;
  return (
    <div class="banner banner--error" role="alert" data-testid="error-banner">
      {error}
    </div>
  );
}

export function Notice({ text }: { text: string | undefined }) {
  if (!text) return null;
  return (
    <div class="banner banner--ok" role="status">
      {text}
    </div>
  );
}

/** The error and success messages of an action. */
export function ActionMessages({ action }: { action: Action }) {
  return (
    <>
      <ErrorBanner error={action.error} />
      <Notice text={action.notice} />
    </>
  );
}

export function Loading({ what = 'dữ liệu' }: { what?: string }) {
  return (
    <p class="muted" role="status">
      Đang tải {what}…
    </p>
  );
}

export function Page({
  title,
  actions,
  children,
}: {
  title: string;
  actions?: ComponentChildren;
  children: ComponentChildren;
}) {
  useEffect(() => {
    document.title = `${title} – Trợ lý Công đoàn`;
  }, [title]);
  return (
    <section class="page" aria-labelledby="page-title">
      <header class="page__head">
        <h1 id="page-title" tabIndex={-1}>
          {title}
        </h1>
        {actions && <div class="page__actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
}

export function Tabs<T extends string>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: T;
  options: [T, string][];
  onChange: (value: T) => void;
}) {
  return (
    <div class="tabs" role="tablist" aria-label={label}>
      {options.map(([key, text]) => (
        <button
          key={key}
          type="button"
          role="tab"
          aria-selected={value === key}
          class={value === key ? 'tab tab--active' : 'tab'}
          onClick={() => onChange(key)}
        >
          {text}
        </button>
      ))}
    </div>
  );
}

/** `value` once it has stayed the same for `ms` (live segment counts); compare by a string key. */
export function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** Copies text to the clipboard; falls back to a hidden textarea where the Clipboard API is unavailable. */
export async function copyToClipboard(text: string): Promise<void> {
  if (window.isSecureContext && navigator.clipboard) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('copy refused');
}

/** A value officers paste elsewhere (a quick-reply payload), shown as code with a "copy" button. */
export function CopyText({ text, label, testid }: { text: string; label: string; testid?: string }) {
  const [state, setState] = useState<'idle' | 'done' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2500);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = () =>
    copyToClipboard(text).then(
      () => setState('done'),
      () => setState('failed'),
    );
  return (
    <span class="copy">
      <code class="copy__text" data-testid={testid}>
        {text}
      </code>
      <button
        type="button"
        class="btn btn--small"
        aria-label={`Chép ${label}`}
        data-testid={testid ? `${testid}-copy` : undefined}
        onClick={() => void copy()}
      >
        {state === 'done' ? 'Đã chép ✓' : 'Chép'}
      </button>
      <span role="status" class={state === 'failed' ? 'small' : 'sr-only'}>
        {state === 'done'
          ? `Đã chép ${label}.`
          : state === 'failed'
            ? 'Không chép được: hãy chọn và chép tay.'
            : ''}
      </span>
    </span>
  );
}

/** An error with the server's list of problems (one per line), e.g. every bad entry of a data file. */
export function IssuesBanner({ error, issues }: { error: string | undefined; issues?: string[] }) {
  if (!error) return null;
  return (
    <div class="banner banner--error" role="alert" data-testid="error-banner">
      <p>{error}</p>
      {issues && issues.length > 0 && (
        <ul>
          {issues.map((issue, i) => (
            <li key={i}>{issue}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
