import { api, urls } from '../api';
import { ROLE_NAMES, dateTime } from '../format';
import type { AuditEntry, Role, User } from '../types';
import { ActionMessages, ErrorBanner, Loading, Page, useAction, useAsync, useSession } from '../ui';
import { ApiTokens } from './account';

const ROLES: Role[] = ['viewer', 'officer', 'admin'];

export function Users() {
  const users = useAsync(() => api.users(), []);
  const action = useAction();
  const { user: me } = useSession();

  const change = (u: User, patch: Parameters<typeof api.updateUser>[1], done: string) =>
    action.run(async () => {
      const updated = await api.updateUser(u.id, patch);
      if (users.data) users.setData({ items: users.data.items.map((x) => (x.id === u.id ? updated : x)) });
      return done;
    });

  const remove = (u: User) => {
    if (!confirm(`Xóa người dùng ${u.username}? Không thể hoàn tác.`)) return;
    void action.run(async () => {
      await api.deleteUser(u.id);
      await users.reload();
      return `Đã xóa ${u.username}.`;
    });
  };

  const resetPassword = (u: User) => {
    const password = prompt(`Mật khẩu mới cho ${u.username}:`);
    if (!password) return;
    void change(u, { password }, `Đã đổi mật khẩu của ${u.username}.`);
  };

  return (
    <Page
      title="Người dùng"
      actions={
        <a class="btn" href={urls.queues()} target="_blank" rel="noopener">
          Hàng đợi gửi tin (bull-board)
        </a>
      }
    >
      <NewUser onCreated={() => void users.reload()} />
      <div class="card">
        <h2>Danh sách người dùng</h2>
        <ErrorBanner error={users.error} />
        <ActionMessages action={action} />
        {!users.data && users.loading && <Loading what="người dùng" />}
        {users.data && (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Tên đăng nhập</th>
                  <th scope="col">Họ tên</th>
                  <th scope="col">Vai trò</th>
                  <th scope="col">Trạng thái</th>
                  <th scope="col">Đăng nhập lần cuối</th>
                  <th scope="col">
                    <span class="sr-only">Thao tác</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {users.data.items.map((u) => (
                  <tr key={u.id} data-testid="user-row" data-id={u.id} data-username={u.username}>
                    <td>{u.username}</td>
                    <td>{u.name}</td>
                    <td>
                      <select
                        aria-label={`Vai trò của ${u.username}`}
                        value={u.role}
                        disabled={action.busy}
                        onChange={(e) => {
                          const role = e.currentTarget.value as Role;
                          void change(u, { role }, `${u.username} giờ là ${ROLE_NAMES[role].toLowerCase()}.`);
                        }}
                      >
                        {ROLES.map((r) => (
                          <option key={r} value={r}>
                            {ROLE_NAMES[r]}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>{u.disabled ? <span class="badge badge--warn">Đã khóa</span> : 'Đang dùng'}</td>
                    <td>{dateTime(u.lastLoginAt)}</td>
                    <td class="actions">
                      <button
                        type="button"
                        class="btn btn--small"
                        disabled={action.busy || u.id === me.id}
                        onClick={() =>
                          void change(
                            u,
                            { disabled: !u.disabled },
                            u.disabled ? `Đã mở khóa ${u.username}.` : `Đã khóa ${u.username}.`,
                          )
                        }
                      >
                        {u.disabled ? 'Mở khóa' : 'Khóa'}
                      </button>
                      <button
                        type="button"
                        class="btn btn--small"
                        disabled={action.busy}
                        onClick={() => resetPassword(u)}
                      >
                        Đổi mật khẩu
                      </button>
                      <button
                        type="button"
                        class="btn btn--small btn--danger"
                        disabled={action.busy || u.id === me.id}
                        onClick={() => remove(u)}
                      >
                        Xóa
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      <ApiTokens />
      <AuditLog />
    </Page>
  );
}

function NewUser({ onCreated }: { onCreated: () => void }) {
  const action = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    void action.run(async () => {
      const created = await api.createUser({
        username: String(data.get('username') ?? ''),
        name: String(data.get('name') ?? ''),
        role: String(data.get('role') ?? 'viewer') as Role,
        password: String(data.get('password') ?? ''),
      });
      form.reset();
      onCreated();
      return `Đã tạo người dùng ${created.username}.`;
    });
  };
  return (
    <details class="card">
      <summary>Thêm người dùng</summary>
      <form onSubmit={submit} class="grid2">
        <div class="field">
          <label for="new-username">Tên đăng nhập</label>
          <input
            id="new-username"
            name="username"
            required
            pattern="[a-zA-Z0-9._\-]{3,40}"
            autoComplete="off"
            title="3–40 ký tự: chữ không dấu, số, . _ -"
          />
        </div>
        <div class="field">
          <label for="new-name">Họ tên</label>
          <input id="new-name" name="name" required maxLength={100} />
        </div>
        <div class="field">
          <label for="new-role">Vai trò</label>
          <select id="new-role" name="role">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_NAMES[r]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="new-password">Mật khẩu</label>
          <input id="new-password" name="password" type="password" required autoComplete="new-password" />
        </div>
        <div class="span2">
          <ActionMessages action={action} />
          <button type="submit" class="btn btn--primary" disabled={action.busy}>
            Tạo người dùng
          </button>
        </div>
      </form>
    </details>
  );
}

function AuditLog() {
  const audit = useAsync(() => api.audit(100), []);
  return (
    <div class="card">
      <div class="row row--between">
        <h2>Nhật ký thao tác</h2>
        <button type="button" class="btn btn--small" onClick={() => void audit.reload()}>
          Tải lại
        </button>
      </div>
      <ErrorBanner error={audit.error} />
      {!audit.data && audit.loading && <Loading what="nhật ký" />}
      {audit.data && audit.data.items.length === 0 && <p class="muted">Chưa có thao tác nào.</p>}
      {audit.data && audit.data.items.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Thời gian</th>
                <th scope="col">Người làm</th>
                <th scope="col">Thao tác</th>
                <th scope="col">Đối tượng</th>
                <th scope="col">Chi tiết</th>
              </tr>
            </thead>
            <tbody>
              {audit.data.items.map((a: AuditEntry, i) => (
                <tr key={a.id ?? `${a.at}-${i}`}>
                  <td>{dateTime(a.at)}</td>
                  <td>
                    {a.actor.username}
                    {a.actor.via === 'token' && <span class="muted small"> (mã API)</span>}
                  </td>
                  <td>
                    <code>{a.action}</code>
                  </td>
                  <td>{a.target ?? '–'}</td>
                  <td class="small">
                    {a.details !== undefined ? <code class="wrap">{JSON.stringify(a.details)}</code> : '–'}
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
