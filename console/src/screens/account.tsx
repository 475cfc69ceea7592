import { useState } from 'preact/hooks';
import { api } from '../api';
import { ROLE_NAMES, dateTime } from '../format';
import type { NewApiToken } from '../types';
import { ActionMessages, ErrorBanner, Loading, Page, useAction, useAsync, useSession } from '../ui';

export function Account() {
  const { user } = useSession();
  return (
    <Page title="Tài khoản của tôi">
      <div class="card">
        <dl class="facts">
          <dt>Họ tên</dt>
          <dd>{user.name}</dd>
          <dt>Tên đăng nhập</dt>
          <dd>{user.username}</dd>
          <dt>Vai trò</dt>
          <dd>{ROLE_NAMES[user.role]}</dd>
          <dt>Đăng nhập lần trước</dt>
          <dd>{dateTime(user.lastLoginAt)}</dd>
        </dl>
      </div>
      <ApiTokens />
    </Page>
  );
}

/** The signed-in user's API tokens (for scripts and automation): create (shown once) and revoke. */
export function ApiTokens() {
  const tokens = useAsync(() => api.tokens(), []);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<NewApiToken | undefined>(undefined);
  const action = useAction();

  const create = (e: Event) => {
    e.preventDefault();
    void action.run(async () => {
      setCreated(await api.createToken(name.trim()));
      setName('');
      await tokens.reload();
    });
  };

  const revoke = (id: string, tokenName: string) => {
    if (!confirm(`Thu hồi mã "${tokenName}"? Các chương trình đang dùng mã này sẽ không gọi được nữa.`))
      return;
    void action.run(async () => {
      await api.revokeToken(id);
      if (created?.id === id) setCreated(undefined);
      await tokens.reload();
      return `Đã thu hồi mã "${tokenName}".`;
    });
  };

  return (
    <div class="card">
      <h2>Mã API của tôi</h2>
      <p class="muted small">
        Dùng cho chương trình tự động: gửi tiêu đề <code>Authorization: Bearer &lt;mã&gt;</code>. Mã có cùng
        quyền với tài khoản của bạn.
      </p>
      <form class="row row--wrap" onSubmit={create}>
        <label for="token-name">Tên mã</label>
        <input
          id="token-name"
          value={name}
          required
          maxLength={100}
          placeholder="Ví dụ: báo cáo hằng tuần"
          onInput={(e) => setName(e.currentTarget.value)}
        />
        <button type="submit" class="btn btn--primary" disabled={action.busy}>
          Tạo mã
        </button>
      </form>
      <ActionMessages action={action} />
      {created && (
        <div class="banner banner--ok" role="status">
          <p>
            Mã <strong>{created.name}</strong> đã được tạo. Hãy sao chép ngay: mã chỉ hiện{' '}
            <strong>một lần</strong>.
          </p>
          <div class="row">
            <input
              class="grow code-input"
              readOnly
              value={created.token}
              aria-label="Mã API mới"
              data-testid="token-value"
              onFocus={(e) => e.currentTarget.select()}
            />
            <button
              type="button"
              class="btn btn--small"
              onClick={() => void navigator.clipboard?.writeText(created.token)}
            >
              Sao chép
            </button>
          </div>
        </div>
      )}
      <ErrorBanner error={tokens.error} />
      {!tokens.data && tokens.loading && <Loading what="mã API" />}
      {tokens.data && tokens.data.items.length === 0 && <p class="muted">Chưa có mã nào.</p>}
      {tokens.data && tokens.data.items.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Tên</th>
                <th scope="col">Tạo lúc</th>
                <th scope="col">Dùng lần cuối</th>
                <th scope="col">
                  <span class="sr-only">Thao tác</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.items.map((t) => (
                <tr key={t.id} data-testid="token-row">
                  <td>{t.name}</td>
                  <td>{dateTime(t.createdAt)}</td>
                  <td>{dateTime(t.lastUsedAt)}</td>
                  <td>
                    <button
                      type="button"
                      class="btn btn--small btn--danger"
                      disabled={action.busy}
                      onClick={() => revoke(t.id, t.name)}
                    >
                      Thu hồi
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
