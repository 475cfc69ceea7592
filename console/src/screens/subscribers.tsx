import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage, urls } from '../api';
import { SUBSCRIBER_CHANNELS, channelName, dateTime, num, topicName } from '../format';
import type { ImportReport, Subscriber } from '../types';
import { ActionMessages, ErrorBanner, Loading, Page, useAction, useDebounced, useSession } from '../ui';

const PAGE = 50;

export function Subscribers() {
  const { can } = useSession();
  const officer = can('officer');
  const [q, setQ] = useState('');
  const [channel, setChannel] = useState('');
  const query = useDebounced(q.trim(), 300);
  const [items, setItems] = useState<Subscriber[]>([]);
  const [next, setNext] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | undefined>(undefined);
  const [reload, setReload] = useState(0);
  const action = useAction();

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    api
      .subscribers({ q: query, channel, limit: PAGE })
      .then((page) => {
        if (cancelled) return;
        setItems(page.items);
        setNext(page.next);
        setError(undefined);
      })
      .catch((err: unknown) => !cancelled && setError(errorMessage(err)))
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [query, channel, reload]);

  const more = () =>
    action.run(async () => {
      const page = await api.subscribers({ q: query, channel, limit: PAGE, cursor: next });
      setItems([...items, ...page.items]);
      setNext(page.next);
    });

  const optOut = (s: Subscriber) => {
    if (!confirm(`Ghi nhận ${s.displayName ?? s.userId} không nhận tin nữa?`)) return;
    void action.run(async () => {
      const updated = await api.optOut(s.id);
      setItems(items.map((i) => (i.id === s.id ? updated : i)));
      return `Đã ghi nhận ${updated.displayName ?? updated.userId} không nhận tin.`;
    });
  };

  return (
    <Page
      title="Người nhận tin"
      actions={
        officer && (
          <a class="btn" href={urls.subscribersExport()} download>
            Xuất CSV
          </a>
        )
      }
    >
      {officer && <CsvImport onDone={() => setReload(reload + 1)} />}
      <div class="card">
        <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
          <div class="field grow">
            <label for="subscriber-q">Tìm</label>
            <input
              id="subscriber-q"
              type="search"
              value={q}
              placeholder="Tên, số điện thoại, khu công nghiệp, công ty… (gõ không dấu cũng được)"
              onInput={(e) => setQ(e.currentTarget.value)}
            />
          </div>
          <div class="field">
            <label for="subscriber-channel">Kênh</label>
            <select
              id="subscriber-channel"
              value={channel}
              onChange={(e) => setChannel(e.currentTarget.value)}
            >
              <option value="">Tất cả</option>
              {SUBSCRIBER_CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {channelName(c)}
                </option>
              ))}
            </select>
          </div>
        </form>
        <ErrorBanner error={error} />
        <ActionMessages action={action} />
        {loading && items.length === 0 && <Loading what="người nhận tin" />}
        {!loading && items.length === 0 && !error && <p class="muted">Không tìm thấy ai.</p>}
        {items.length > 0 && (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Tên</th>
                  <th scope="col">Kênh</th>
                  <th scope="col">Khu công nghiệp</th>
                  <th scope="col">Công ty</th>
                  <th scope="col">Chủ đề</th>
                  <th scope="col">Nhận tin</th>
                  <th scope="col">Lần cuối nhắn</th>
                  {officer && (
                    <th scope="col">
                      <span class="sr-only">Thao tác</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {items.map((s) => (
                  <tr key={s.id} data-testid="subscriber-row" data-id={s.id}>
                    <td>
                      {s.attributes.name ?? s.displayName ?? '–'}
                      <div class="muted small">
                        {s.userId}
                        {s.attributes.phone && ` · ${s.attributes.phone}`}
                      </div>
                    </td>
                    <td>{channelName(s.channel)}</td>
                    <td>{s.attributes.khu_cong_nghiep ?? '–'}</td>
                    <td>{s.attributes.company ?? '–'}</td>
                    <td>{s.topics.map(topicName).join(', ') || '–'}</td>
                    <td>
                      <Consent s={s} />
                    </td>
                    <td>{dateTime(s.lastInteractionAt)}</td>
                    {officer && (
                      <td>
                        {s.consent?.status === 'opted_in' && (
                          <button
                            type="button"
                            class="btn btn--small btn--danger"
                            disabled={action.busy}
                            onClick={() => optOut(s)}
                          >
                            Ngừng gửi tin
                          </button>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {next && (
          <button type="button" class="btn" disabled={action.busy} onClick={() => void more()}>
            Tải thêm
          </button>
        )}
      </div>
    </Page>
  );
}

function Consent({ s }: { s: Subscriber }) {
  const title = s.consent ? `${s.consent.source} · ${dateTime(s.consent.at)}` : undefined;
  return (
    <span title={title}>
      {s.consent?.status === 'opted_in' ? (
        <span class="badge badge--ok">Đồng ý</span>
      ) : s.consent?.status === 'opted_out' ? (
        <span class="badge">Từ chối</span>
      ) : (
        <span class="muted">Chưa hỏi</span>
      )}
      {!s.reachable && (
        <span class="badge badge--warn" title={s.unreachableReason}>
          Không liên lạc được
        </span>
      )}
    </span>
  );
}

function CsvImport({ onDone }: { onDone: () => void }) {
  const [report, setReport] = useState<ImportReport | undefined>(undefined);
  const [file, setFile] = useState<File | undefined>(undefined);
  const action = useAction();

  const submit = (e: Event) => {
    e.preventDefault();
    if (!file) return;
    const form = e.currentTarget as HTMLFormElement;
    void action.run(async () => {
      setReport(undefined);
      const result = await api.importSubscribers(await file.text());
      setReport(result);
      form.reset();
      setFile(undefined);
      onDone();
    });
  };

  return (
    <details class="card">
      <summary>Nhập danh sách từ tệp CSV</summary>
      <p class="muted small">
        Dòng tiêu đề:{' '}
        <code>
          channel,user_id,display_name,name,phone,khu_cong_nghiep,company,union_branch,province,district,topics,consent,consent_at
        </code>
        . Bắt buộc <code>channel</code> và <code>user_id</code>; ô trống giữ nguyên dữ liệu cũ. Nhập lại cùng
        tệp không tạo trùng.
      </p>
      <form class="row row--wrap" onSubmit={submit}>
        <label for="csv-file">Tệp CSV</label>
        <input
          id="csv-file"
          type="file"
          accept=".csv,text/csv"
          onChange={(e) => setFile(e.currentTarget.files?.[0])}
        />
        <button type="submit" class="btn btn--primary" disabled={!file || action.busy}>
          {action.busy ? 'Đang nhập…' : 'Nhập'}
        </button>
      </form>
      <ActionMessages action={action} />
      {report && (
        <div class="import-report" role="status" data-testid="import-report">
          <p>
            Đã đọc {num(report.rows)} dòng: tạo mới {num(report.created)}, cập nhật {num(report.updated)},
            không đổi {num(report.unchanged)}, lỗi {num(report.errors.length)}.
          </p>
          {report.errors.length > 0 && (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col" class="num">
                      Dòng
                    </th>
                    <th scope="col">Lỗi</th>
                  </tr>
                </thead>
                <tbody>
                  {report.errors.map((err, i) => (
                    <tr key={i}>
                      <td class="num">{err.line}</td>
                      <td>{err.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </details>
  );
}
