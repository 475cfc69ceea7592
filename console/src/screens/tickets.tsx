import { useState } from 'preact/hooks';
import { api } from '../api';
import { TICKET_CATEGORIES, TICKET_STATUS, channelName, dateTime } from '../format';
import { href } from '../router';
import type { Ticket, TicketStatus, User } from '../types';
import { ActionMessages, ErrorBanner, Loading, Page, Tabs, useAction, useAsync, useSession } from '../ui';

type Filter = TicketStatus | 'all';

const FILTERS: [Filter, string][] = [
  ['all', 'Tất cả'],
  ['new', TICKET_STATUS.new],
  ['in_progress', TICKET_STATUS.in_progress],
  ['resolved', TICKET_STATUS.resolved],
  ['closed', TICKET_STATUS.closed],
];

export function Tickets({ selected }: { selected?: string }) {
  const [filter, setFilter] = useState<Filter>('all');
  const list = useAsync(() => api.tickets(filter === 'all' ? undefined : filter), [filter]);

  return (
    <Page title="Phản ánh của người lao động">
      {selected && <TicketDetail key={selected} id={selected} onChange={() => void list.reload()} />}
      <div class="card">
        <Tabs label="Lọc theo trạng thái" value={filter} options={FILTERS} onChange={setFilter} />
        <ErrorBanner error={list.error} />
        {!list.data && list.loading && <Loading what="phản ánh" />}
        {list.data && list.data.items.length === 0 && <p class="muted">Không có phản ánh nào.</p>}
        {list.data && list.data.items.length > 0 && (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Mã</th>
                  <th scope="col">Loại</th>
                  <th scope="col">Nơi làm việc</th>
                  <th scope="col">Trạng thái</th>
                  <th scope="col">Người phụ trách</th>
                  <th scope="col">Gửi lúc</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((t) => (
                  <tr
                    key={t.id}
                    data-testid="ticket-row"
                    data-id={t.id}
                    class={t.id === selected ? 'row--active' : undefined}
                  >
                    <td>
                      <a href={href(['tickets', t.id])} aria-current={t.id === selected ? 'true' : undefined}>
                        {t.id}
                      </a>
                      {t.urgent && <span class="badge badge--warn">Khẩn</span>}
                    </td>
                    <td>{TICKET_CATEGORIES[t.category] ?? t.category}</td>
                    <td>{[t.company, t.khu_cong_nghiep].filter(Boolean).join(', ') || '–'}</td>
                    <td>
                      <span class={`status status--ticket-${t.status}`}>{TICKET_STATUS[t.status]}</span>
                    </td>
                    <td>{t.assignee?.name ?? '–'}</td>
                    <td>{dateTime(t.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </Page>
  );
}

function TicketDetail({ id, onChange }: { id: string; onChange: () => void }) {
  const { user, can } = useSession();
  const ticket = useAsync(() => api.ticket(id), [id]);
  const users = useAsync<User[]>(
    () => (can('admin') ? api.users().then((r) => r.items) : Promise.resolve([])),
    [],
  );
  const [note, setNote] = useState('');
  const action = useAction();

  const update = (change: { status?: TicketStatus; assigneeId?: string | null }, done: string) =>
    action.run(async () => {
      ticket.setData(await api.updateTicket(id, change));
      onChange();
      return done;
    });

  const addNote = (e: Event) => {
    e.preventDefault();
    if (!note.trim()) return;
    void action.run(async () => {
      ticket.setData(await api.addTicketNote(id, note.trim()));
      setNote('');
      onChange();
      return 'Đã thêm ghi chú.';
    });
  };

  const t: Ticket | undefined = ticket.data;
  if (!t) {
    return (
      <div class="card">
        <ErrorBanner error={ticket.error} />
        {ticket.loading && <Loading what="phản ánh" />}
      </div>
    );
  }
  const officers = (users.data ?? []).filter((u) => u.role !== 'viewer' && !u.disabled);

  return (
    <article class="card ticket" aria-labelledby="ticket-title">
      <div class="row row--between">
        <h2 id="ticket-title">
          Phản ánh {t.id} {t.urgent && <span class="badge badge--warn">Khẩn</span>}
        </h2>
        <a class="btn btn--ghost btn--small" href={href(['tickets'])}>
          Đóng chi tiết
        </a>
      </div>
      <dl class="facts">
        <dt>Loại</dt>
        <dd>{TICKET_CATEGORIES[t.category] ?? t.category}</dd>
        <dt>Nội dung</dt>
        <dd class="pre">{t.description}</dd>
        {t.company && (
          <>
            <dt>Công ty</dt>
            <dd>{t.company}</dd>
          </>
        )}
        {t.khu_cong_nghiep && (
          <>
            <dt>Khu công nghiệp</dt>
            <dd>{t.khu_cong_nghiep}</dd>
          </>
        )}
        <dt>Liên hệ</dt>
        <dd>{t.contact ?? 'Ẩn danh'}</dd>
        {t.photoUrl && (
          <>
            <dt>Hình ảnh</dt>
            <dd>
              <a href={t.photoUrl} target="_blank" rel="noopener noreferrer">
                Xem ảnh
              </a>
            </dd>
          </>
        )}
        <dt>Kênh</dt>
        <dd>
          {channelName(t.channel)} · {t.userId}
        </dd>
        <dt>Gửi lúc</dt>
        <dd>
          {dateTime(t.createdAt)} · cập nhật {dateTime(t.updatedAt)}
        </dd>
        <dt>Người phụ trách</dt>
        <dd>{t.assignee?.name ?? 'Chưa có'}</dd>
      </dl>
      <ActionMessages action={action} />
      <div class="toolbar">
        <label class="inline-field">
          Trạng thái{' '}
          <select
            data-testid="ticket-status"
            value={t.status}
            disabled={action.busy}
            onChange={(e) => {
              const status = e.currentTarget.value as TicketStatus;
              void update({ status }, `Đã chuyển sang “${TICKET_STATUS[status]}”.`);
            }}
          >
            {(Object.keys(TICKET_STATUS) as TicketStatus[]).map((s) => (
              <option key={s} value={s}>
                {TICKET_STATUS[s]}
              </option>
            ))}
          </select>
        </label>
        {t.assignee?.id !== user.id && (
          <button
            type="button"
            class="btn"
            disabled={action.busy}
            onClick={() => void update({ assigneeId: user.id }, 'Bạn đã nhận phụ trách phản ánh này.')}
          >
            Giao cho tôi
          </button>
        )}
        {t.assignee && (
          <button
            type="button"
            class="btn btn--ghost"
            disabled={action.busy}
            onClick={() => void update({ assigneeId: null }, 'Đã bỏ người phụ trách.')}
          >
            Bỏ người phụ trách
          </button>
        )}
        {officers.length > 0 && (
          <label class="inline-field">
            Giao cho{' '}
            <select
              value={t.assignee?.id ?? ''}
              disabled={action.busy}
              onChange={(e) => {
                const assigneeId = e.currentTarget.value || null;
                void update({ assigneeId }, 'Đã đổi người phụ trách.');
              }}
            >
              <option value="">Chưa có</option>
              {officers.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name} ({u.username})
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <h3>Ghi chú xử lý</h3>
      {t.notes.length === 0 && <p class="muted">Chưa có ghi chú.</p>}
      <ul class="notes">
        {t.notes.map((n, i) => (
          <li key={`${n.at}-${i}`}>
            <span class="muted small">
              {n.by.name} · {dateTime(n.at)}
            </span>
            <div class="pre">{n.text}</div>
          </li>
        ))}
      </ul>
      <form onSubmit={addNote} class="reply">
        <label for="ticket-note" class="sr-only">
          Ghi chú mới
        </label>
        <textarea
          id="ticket-note"
          rows={2}
          value={note}
          placeholder="Đã liên hệ, đã chuyển cho…"
          onInput={(e) => setNote(e.currentTarget.value)}
        />
        <button type="submit" class="btn btn--primary" disabled={action.busy || !note.trim()}>
          Thêm ghi chú
        </button>
      </form>
    </article>
  );
}
