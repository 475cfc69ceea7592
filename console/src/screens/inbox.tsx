import { useEffect, useRef, useState } from 'preact/hooks';
import { api, urls } from '../api';
import { INBOX_STATUS, channelName, dateTime } from '../format';
import { href } from '../router';
import { STREAM_LABELS, useEventStream } from '../sse';
import type { Conversation, InboxMessage, InboxStatus } from '../types';
import { ActionMessages, ErrorBanner, Loading, Page, Tabs, useAction, useAsync, useSession } from '../ui';

const TABS: [InboxStatus, string][] = [
  ['open', INBOX_STATUS.open],
  ['assigned', INBOX_STATUS.assigned],
  ['closed', INBOX_STATUS.closed],
];

const FROM: Record<InboxMessage['from'], string> = {
  worker: 'Người lao động',
  bot: 'Trợ lý',
  officer: 'Cán bộ',
  system: 'Hệ thống',
};

export function Inbox({ selected }: { selected?: string }) {
  const [tab, setTab] = useState<InboxStatus>('open');
  const list = useAsync(() => api.inbox(tab), [tab]);
  const conversation = useAsync(
    () => (selected ? api.conversation(selected) : Promise.resolve(undefined)),
    [selected],
  );
  const refresh = () => {
    void list.reload();
    if (selected) void conversation.reload();
  };
  // `ready` comes once the server listens for changes (and again after a reconnect): reading the list then
  // catches what happened between the first read and the subscription.
  const stream = useEventStream(urls.inboxEvents(), { inbox: refresh, ready: refresh });

  return (
    <Page title="Hộp thư cán bộ">
      <p class="muted small" aria-live="polite">
        {STREAM_LABELS[stream]}
      </p>
      <div class={selected ? 'inbox inbox--selected' : 'inbox'}>
        <div class="inbox__list card">
          <Tabs label="Lọc theo trạng thái" value={tab} options={TABS} onChange={setTab} />
          <ErrorBanner error={list.error} />
          {!list.data && list.loading && <Loading what="hộp thư" />}
          {list.data && list.data.items.length === 0 && <p class="muted">Không có yêu cầu nào.</p>}
          <ul class="items">
            {list.data?.items.map((item) => (
              <li key={item.id}>
                <a
                  href={href(['inbox', item.id])}
                  class={item.id === selected ? 'item item--active' : 'item'}
                  aria-current={item.id === selected ? 'true' : undefined}
                  data-testid="inbox-item"
                  data-id={item.id}
                >
                  <span class="item__title">
                    {item.displayName ?? item.userId} <span class="badge">{channelName(item.channel)}</span>
                  </span>
                  {item.lastText && <span class="item__text">{item.lastText}</span>}
                  <span class="muted small">
                    {dateTime(item.lastMessageAt ?? item.createdAt)}
                    {item.assignee && ` · ${item.assignee.name}`}
                    {item.reason && ` · ${item.reason}`}
                  </span>
                </a>
              </li>
            ))}
          </ul>
        </div>
        <div class="inbox__conversation">
          {!selected && <p class="muted card">Chọn một yêu cầu để xem cuộc trò chuyện.</p>}
          {selected && (
            <ConversationView
              key={selected}
              conversation={conversation.data}
              error={conversation.error}
              loading={conversation.loading}
              onChange={(c) => {
                if (c) conversation.setData(c);
                void conversation.reload();
                void list.reload();
              }}
            />
          )}
        </div>
      </div>
    </Page>
  );
}

function ConversationView({
  conversation,
  error,
  loading,
  onChange,
}: {
  conversation: Conversation | undefined;
  error: string | undefined;
  loading: boolean;
  onChange: (c?: Conversation) => void;
}) {
  const { user } = useSession();
  const [text, setText] = useState('');
  const action = useAction();
  const log = useRef<HTMLOListElement>(null);
  const count = conversation?.messages.length ?? 0;

  useEffect(() => {
    const el = log.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [count]);

  if (!conversation) {
    return (
      <div class="card">
        <ErrorBanner error={error} />
        {loading && <Loading what="cuộc trò chuyện" />}
      </div>
    );
  }
  const { item, messages } = conversation;
  const open = item.status !== 'closed';
  const mine = item.assignee?.id === user.id;

  const take = () => {
    const other = item.status === 'assigned' && item.assignee && !mine;
    if (other && !confirm(`${item.assignee!.name} đang xử lý yêu cầu này. Nhận thay?`)) return;
    void action.run(async () => {
      const updated = await api.take(item.id, Boolean(other));
      onChange({ ...conversation, item: updated });
      return 'Bạn đã nhận xử lý yêu cầu này.';
    });
  };

  const close = () => {
    if (!confirm('Đóng yêu cầu này? Người lao động sẽ quay lại nói chuyện với trợ lý.')) return;
    void action.run(async () => {
      const updated = await api.closeHandoff(item.id);
      onChange({ ...conversation, item: updated });
      return 'Đã đóng yêu cầu.';
    });
  };

  const send = (e: Event) => {
    e.preventDefault();
    const body = text.trim();
    if (!body) return;
    void action.run(async () => {
      const result = await api.reply(item.id, body);
      setText('');
      onChange(
        Array.isArray(result?.messages)
          ? { item: result.item ?? item, messages: result.messages }
          : undefined,
      );
    });
  };

  return (
    <div class="card conversation">
      <header class="conversation__head">
        <div>
          <h2>{item.displayName ?? item.userId}</h2>
          <p class="muted small">
            {channelName(item.channel)} · mã {item.id} · {INBOX_STATUS[item.status]}
            {item.assignee && ` · ${item.assignee.name}`}
            {item.reason && ` · lý do: ${item.reason}`}
          </p>
        </div>
        <div class="toolbar">
          {open && !mine && (
            <button
              type="button"
              class="btn btn--primary"
              data-testid="inbox-take"
              disabled={action.busy}
              onClick={take}
            >
              Nhận xử lý
            </button>
          )}
          {open && (
            <button
              type="button"
              class="btn btn--danger"
              data-testid="inbox-close"
              disabled={action.busy}
              onClick={close}
            >
              Đóng
            </button>
          )}
          <a class="btn btn--ghost back-link" href={href(['inbox'])}>
            ← Danh sách
          </a>
        </div>
      </header>
      <ErrorBanner error={error} />
      <ActionMessages action={action} />
      <ol class="chat" ref={log} aria-label="Lịch sử trò chuyện" aria-live="polite">
        {messages.map((m, i) => (
          <li
            key={`${m.at}-${i}`}
            class={`bubble bubble--${m.from}`}
            data-testid="inbox-message"
            data-from={m.from}
          >
            <span class="bubble__who">
              {m.from === 'officer' && m.officer ? m.officer.name : FROM[m.from]} · {dateTime(m.at)}
            </span>
            <span class="bubble__text">{m.text}</span>
          </li>
        ))}
      </ol>
      {open && (
        <form class="reply" onSubmit={send}>
          <label for="inbox-reply" class="sr-only">
            Trả lời
          </label>
          <textarea
            id="inbox-reply"
            data-testid="inbox-reply-input"
            rows={2}
            value={text}
            placeholder={mine ? 'Nhập câu trả lời…' : 'Nhận xử lý trước khi trả lời'}
            onInput={(e) => setText(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) send(e);
            }}
          />
          <button
            type="submit"
            class="btn btn--primary"
            data-testid="inbox-reply-send"
            disabled={action.busy || !text.trim()}
          >
            Gửi
          </button>
        </form>
      )}
    </div>
  );
}
