import { useState } from 'preact/hooks';
import { api, urls } from '../api';
import {
  CHANNELS,
  DELIVERY_STATUS,
  PUSH_CHANNELS,
  SEGMENT_FIELD_NAMES,
  dateTime,
  num,
  percent,
} from '../format';
import { href } from '../router';
import { STREAM_LABELS, useEventStream } from '../sse';
import type { Campaign, CampaignReport, CampaignStatus, RunReport } from '../types';
import { PROFILE_ATTRIBUTES } from '../types';
import { ActionMessages, ErrorBanner, Loading, Page, useAction, useAsync, useSession } from '../ui';
import { StatusBadge, scheduleText } from './campaigns';

type CampaignAction = 'submit' | 'approve' | 'pause' | 'resume' | 'cancel';

const ACTIONS: Record<CampaignAction, { label: string; done: string; testid?: string; danger?: boolean }> = {
  submit: { label: 'Gửi đi', done: 'Đã gửi đi.', testid: 'campaign-submit' },
  approve: { label: 'Duyệt', done: 'Đã duyệt.', testid: 'campaign-approve' },
  pause: { label: 'Tạm dừng', done: 'Đã tạm dừng.', testid: 'campaign-pause' },
  resume: { label: 'Tiếp tục', done: 'Đã tiếp tục.', testid: 'campaign-resume' },
  cancel: { label: 'Hủy chiến dịch', done: 'Đã hủy chiến dịch.', testid: 'campaign-cancel', danger: true },
};

/** What an officer can do in each status (the server checks the same transitions). */
const ACTIONS_BY_STATUS: Record<CampaignStatus, CampaignAction[]> = {
  draft: ['submit', 'cancel'],
  awaiting_approval: ['approve', 'cancel'],
  scheduled: ['pause', 'cancel'],
  running: ['pause', 'cancel'],
  paused: ['resume', 'cancel'],
  completed: [],
  cancelled: [],
};

const ORDER = ['sent', 'delivered', 'read', 'failed', 'skipped', 'unknown'];

export function CampaignDetail({ id }: { id: string }) {
  const { can } = useSession();
  const officer = can('officer');
  const loaded = useAsync(() => api.campaign(id), [id]);
  const report = loaded.data;
  const action = useAction();
  const stream = useEventStream(
    report ? urls.campaignEvents(id) : undefined,
    { report: (data) => loaded.setData(JSON.parse(data) as CampaignReport) },
    'end',
  );

  const act = (name: CampaignAction) => {
    if (name === 'cancel' && !confirm('Hủy chiến dịch này? Tin chưa gửi sẽ không được gửi.')) return;
    void action.run(async () => {
      const campaign = await api.campaignAction(id, name);
      if (report) loaded.setData({ ...report, campaign });
      void loaded.reload();
      return ACTIONS[name].done;
    });
  };

  if (!report) {
    return (
      <Page title="Chiến dịch">
        <ErrorBanner error={loaded.error} />
        {loaded.loading && <Loading what="chiến dịch" />}
      </Page>
    );
  }

  const c = report.campaign;
  const run = report.runs.at(-1);
  return (
    <Page
      title={c.name}
      actions={
        <a class="btn btn--ghost" href={href(['campaigns'])}>
          ← Danh sách chiến dịch
        </a>
      }
    >
      <ErrorBanner error={loaded.error} />
      <div class="row row--wrap">
        <StatusBadge status={c.status} testid="campaign-status" />
        <span class="muted small" aria-live="polite">
          {STREAM_LABELS[stream]}
        </span>
      </div>
      {officer && ACTIONS_BY_STATUS[c.status].length > 0 && (
        <div class="toolbar">
          {ACTIONS_BY_STATUS[c.status].map((name) => (
            <button
              key={name}
              type="button"
              class={ACTIONS[name].danger ? 'btn btn--danger' : 'btn btn--primary'}
              data-testid={ACTIONS[name].testid}
              disabled={action.busy}
              onClick={() => act(name)}
            >
              {ACTIONS[name].label}
            </button>
          ))}
        </div>
      )}
      <ActionMessages action={action} />

      <Progress run={run} />

      <div class="grid2">
        <CampaignSummary campaign={c} />
        <div>
          {c.content.poll && <PollResults campaign={c} counts={report.poll ?? {}} />}
          {run && <Reasons run={run} />}
          {officer && c.status !== 'cancelled' && <TestSend id={id} />}
        </div>
      </div>
      {run && (
        <>
          <Breakdown run={run} attribute="khu_cong_nghiep" />
          <Breakdown run={run} attribute="company" />
        </>
      )}
      {report.runs.length > 0 && <Runs id={id} runs={report.runs} />}
    </Page>
  );
}

function Progress({ run }: { run: RunReport | undefined }) {
  const targeted = run?.targeted ?? 0;
  const done = run ? run.sent + run.failed + run.skipped : 0;
  return (
    <div class="card">
      <h2>Tiến độ {run && <span class="muted small">(lần gửi bắt đầu {dateTime(run.startedAt)})</span>}</h2>
      {!run && <p class="muted">Chưa gửi lần nào.</p>}
      <progress
        class="progress"
        data-testid="campaign-progress"
        max={Math.max(targeted, 1)}
        value={Math.min(done, Math.max(targeted, 1))}
        aria-label="Tiến độ gửi"
      />
      <p class="small">
        Đã xử lý {num(done)}/{num(targeted)} ({percent(done, targeted)})
        {run && !run.expanded && ' · đang lập danh sách người nhận…'}
        {run?.completedAt && ` · xong lúc ${dateTime(run.completedAt)}`}
      </p>
      <div class="stats">
        <Count label="Dự kiến" value={targeted} testid="campaign-targeted" />
        <Count label="Đã gửi" value={run?.sent ?? 0} testid="campaign-sent" />
        <Count label="Lỗi" value={run?.failed ?? 0} testid="campaign-failed" />
        <Count label="Bỏ qua" value={run?.skipped ?? 0} testid="campaign-skipped" />
        <Count label="Đã đọc" value={run?.read ?? 0} testid="campaign-read" />
        <Count label="Đang chờ" value={run?.queued ?? 0} />
      </div>
    </div>
  );
}

function Count({ label, value, testid }: { label: string; value: number; testid?: string }) {
  return (
    <div class="stat">
      <div class="stat__value" data-testid={testid}>
        {value}
      </div>
      <div class="stat__label">{label}</div>
    </div>
  );
}

function CampaignSummary({ campaign: c }: { campaign: Campaign }) {
  return (
    <div class="card">
      <h2>Nội dung</h2>
      <div class="message-preview">{c.content.text}</div>
      <dl class="facts">
        {c.content.link && (
          <>
            <dt>Đường dẫn</dt>
            <dd>
              <a href={c.content.link.url} target="_blank" rel="noopener noreferrer">
                {c.content.link.title}
              </a>
            </dd>
          </>
        )}
        {c.content.imageUrl && (
          <>
            <dt>Hình ảnh</dt>
            <dd>
              <a href={c.content.imageUrl} target="_blank" rel="noopener noreferrer">
                {c.content.imageUrl}
              </a>
            </dd>
          </>
        )}
        {c.content.quickReplies && (
          <>
            <dt>Nút trả lời nhanh</dt>
            <dd>{c.content.quickReplies.map((q) => q.title).join(' · ')}</dd>
          </>
        )}
        <dt>Người nhận</dt>
        <dd>
          {c.segment.where.length === 0
            ? 'Tất cả người đã đồng ý nhận tin'
            : c.segment.where
                .map((f) => `${SEGMENT_FIELD_NAMES[f.field] ?? f.field}: ${f.values.join(', ')}`)
                .join('; ')}
        </dd>
        <dt>Lịch gửi</dt>
        <dd>{scheduleText(c.schedule)}</dd>
        <dt>Cần duyệt</dt>
        <dd>{c.requiresApproval ? `Có${c.approvedBy ? ` (đã duyệt bởi ${c.approvedBy})` : ''}` : 'Không'}</dd>
        {c.messengerTag && (
          <>
            <dt>Thẻ Messenger</dt>
            <dd>{c.messengerTag}</dd>
          </>
        )}
        <dt>Người tạo</dt>
        <dd>
          {c.createdBy} · {dateTime(c.createdAt)}
        </dd>
      </dl>
    </div>
  );
}

function PollResults({ campaign, counts }: { campaign: Campaign; counts: Record<string, number> }) {
  const options = campaign.content.poll?.options ?? [];
  const total = options.reduce((sum, o) => sum + (counts[o.id] ?? 0), 0);
  return (
    <div class="card">
      <h2>Kết quả bình chọn</h2>
      <ul class="poll">
        {options.map((o) => {
          const n = counts[o.id] ?? 0;
          return (
            <li key={o.id}>
              <div class="row row--between">
                <span>{o.title}</span>
                <span>
                  {num(n)} ({percent(n, total)})
                </span>
              </div>
              <progress max={Math.max(total, 1)} value={n} aria-label={o.title} />
            </li>
          );
        })}
      </ul>
      <p class="muted small">Tổng: {num(total)} lượt</p>
    </div>
  );
}

function Reasons({ run }: { run: RunReport }) {
  const rows = Object.entries(run.reasons).flatMap(([status, reasons]) =>
    Object.entries(reasons).map(([reason, count]) => ({ status, reason, count })),
  );
  if (!rows.length) return null;
  rows.sort((a, b) => b.count - a.count);
  return (
    <div class="card">
      <h2>Lý do lỗi và bỏ qua</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Kết quả</th>
              <th scope="col">Lý do</th>
              <th scope="col" class="num">
                Số lượng
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.status}-${r.reason}`}>
                <td>{DELIVERY_STATUS[r.status] ?? r.status}</td>
                <td>
                  <code>{r.reason || '(không rõ)'}</code>
                </td>
                <td class="num">{num(r.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function Breakdown({ run, attribute }: { run: RunReport; attribute: 'khu_cong_nghiep' | 'company' }) {
  const values = run.breakdown[attribute];
  if (!values || !Object.keys(values).length) return null;
  const rank = (status: string) => (ORDER.includes(status) ? ORDER.indexOf(status) : ORDER.length);
  const statuses = [...new Set(Object.values(values).flatMap((v) => Object.keys(v)))].sort(
    (a, b) => rank(a) - rank(b),
  );
  const rows = Object.entries(values).sort(
    (a, b) => Object.values(b[1]).reduce((x, y) => x + y, 0) - Object.values(a[1]).reduce((x, y) => x + y, 0),
  );
  return (
    <div class="card">
      <h2>Theo {PROFILE_ATTRIBUTES[attribute].toLowerCase()}</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{PROFILE_ATTRIBUTES[attribute]}</th>
              {statuses.map((s) => (
                <th scope="col" class="num" key={s}>
                  {DELIVERY_STATUS[s] ?? s}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map(([value, counts]) => (
              <tr key={value}>
                <th scope="row">{value}</th>
                {statuses.map((s) => (
                  <td class="num" key={s}>
                    {num(counts[s] ?? 0)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function Runs({ id, runs }: { id: string; runs: RunReport[] }) {
  return (
    <div class="card">
      <h2>Các lần gửi</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Bắt đầu</th>
              <th scope="col">Trạng thái</th>
              <th scope="col" class="num">
                Dự kiến
              </th>
              <th scope="col" class="num">
                Đã gửi
              </th>
              <th scope="col" class="num">
                Lỗi
              </th>
              <th scope="col" class="num">
                Bỏ qua
              </th>
              <th scope="col" class="num">
                Đã đọc
              </th>
              <th scope="col">Tải về</th>
            </tr>
          </thead>
          <tbody>
            {[...runs].reverse().map((r) => (
              <tr key={r.runId}>
                <td>{dateTime(r.startedAt)}</td>
                <td>{RUN_STATUS[r.status]}</td>
                <td class="num">{num(r.targeted)}</td>
                <td class="num">{num(r.sent)}</td>
                <td class="num">{num(r.failed)}</td>
                <td class="num">{num(r.skipped)}</td>
                <td class="num">{num(r.read)}</td>
                <td>
                  <a href={urls.campaignExport(id, r.runId)} download>
                    CSV
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        <a class="btn btn--small" href={urls.campaignExport(id)} download data-testid="campaign-export">
          Tải báo cáo CSV (lần gửi gần nhất)
        </a>
      </p>
    </div>
  );
}

const RUN_STATUS: Record<RunReport['status'], string> = {
  expanding: 'Đang lập danh sách',
  sending: 'Đang gửi',
  completed: 'Hoàn thành',
  cancelled: 'Đã hủy',
};

function TestSend({ id }: { id: string }) {
  const [channel, setChannel] = useState(PUSH_CHANNELS[0]!);
  const [userId, setUserId] = useState('');
  const send = useAction();
  const onSubmit = (e: Event) => {
    e.preventDefault();
    void send.run(async () => {
      const { messageIds } = await api.testSend(id, channel, userId.trim());
      return `Đã gửi thử (${messageIds.length} tin).`;
    });
  };
  return (
    <form class="card" onSubmit={onSubmit}>
      <h2>Gửi thử</h2>
      <p class="muted small">Gửi ngay nội dung này tới một tài khoản (của chính bạn), bất kể trạng thái.</p>
      <div class="grid2">
        <div class="field">
          <label for="test-channel">Kênh</label>
          <select id="test-channel" value={channel} onChange={(e) => setChannel(e.currentTarget.value)}>
            {PUSH_CHANNELS.map((c) => (
              <option key={c} value={c}>
                {CHANNELS[c] ?? c}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="test-user">Mã người dùng trên kênh</label>
          <input id="test-user" value={userId} required onInput={(e) => setUserId(e.currentTarget.value)} />
        </div>
      </div>
      <ActionMessages action={send} />
      <button type="submit" class="btn" data-testid="campaign-test" disabled={send.busy}>
        {send.busy ? 'Đang gửi…' : 'Gửi thử'}
      </button>
    </form>
  );
}
