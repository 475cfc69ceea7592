import { useState } from 'preact/hooks';
import { api, errorMessage } from '../api';
import type { Session } from '../types';
import { ErrorBanner } from '../ui';

export function Login({ onLogin }: { onLogin: (session: Session) => void }) {
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(undefined);
    try {
      onLogin(await api.login(String(form.get('username') ?? ''), String(form.get('password') ?? '')));
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <main class="login">
      <form class="card login__card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Trợ lý Công đoàn</h1>
        <p class="muted">Đăng nhập bảng điều khiển cán bộ công đoàn</p>
        <ErrorBanner error={error} />
        <div class="field">
          <label for="login-username">Tên đăng nhập</label>
          <input
            id="login-username"
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellcheck={false}
            required
            autoFocus
          />
        </div>
        <div class="field">
          <label for="login-password">Mật khẩu</label>
          <input
            id="login-password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
          />
        </div>
        <button type="submit" class="btn btn--primary btn--block" disabled={busy}>
          {busy ? 'Đang đăng nhập…' : 'Đăng nhập'}
        </button>
      </form>
    </main>
  );
}
