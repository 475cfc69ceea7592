import { useMemo, useState } from 'preact/hooks';
import { api } from '../api';
import { BarChart } from '../bar-chart';
import { downloadCsv } from '../download';
import {
  EVENT_KIND_NAMES,
  EVENT_STATUS,
  TOPICS,
  channelName,
  dateTime,
  halfYear,
  localDate,
  localDateTime,
  localDateTimeInput,
  num,
  today,
  topicName,
} from '../format';
import { href, navigate } from '../router';
import type {
  EventFigures,
  EventInput,
  EventKind,
  EventPatch,
  EventRegistration,
  EventReport,
  EventStatus,
  UnionEvent,
} from '../types';
import { EVENT_KINDS } from '../types';
import {
  ActionMessages,
  CopyText,
  ErrorBanner,
  Loading,
  Page,
  Tabs,
  useAction,
  useAsync,
  useSession,
} from '../ui';

type Filter = EventStatus | 'all';

const FILTERS: [Filter, string][] = [
  ['all', 'Tất cả'],
  ['open', EVENT_STATUS.open],
  ['closed', EVENT_STATUS.closed],
  ['cancelled', EVENT_STATUS.cancelled],
];

const started = (e: { startsAtUtc: string }, now = Date.now()) => Date.parse(e.startsAtUtc) <= now;

/** The status an officer reads: cancelled, already took place, or whether it takes registrations. */
function EventStatusBadge({ event }: { event: UnionEvent }) {
  if (event.status !== 'cancelled' && started(event)) {
    return (
      <span class="status status--event-held" data-status={event.status}>
        Đã diễn ra
      </span>
    );
  }
  return (
    <span class={`status status--event-${event.status}`} data-status={event.status}>
      {EVENT_STATUS[event.status]}
    </span>
  );
}

function places(e: UnionEvent): string {
  return e.capacity ? `${num(e.registered)}/${num(e.capacity)}` : `${num(e.registered)} (không giới hạn)`;
}

// ---- List ----

export function EventList() {
  const { can } = useSession();
  const [filter, setFilter] = useState<Filter>('all');
  const [from, setFrom] = useState('');
  const list = useAsync(
    () => api.events({ status: filter === 'all' ? undefined : filter, from: from || undefined }),
    [filter, from],
  );
  const { upcoming, past } = useMemo(() => {
    const now = Date.now();
    const items = list.data?.items ?? [];
    // The server lists soonest first: coming events in that order, then past ones, latest first.
    return {
      upcoming: items.filter((e) => !started(e, now)),
      past: items.filter((e) => started(e, now)).reverse(),
    };
  }, [list.data]);

  return (
    <Page
      title="Sự kiện, lớp học"
      actions={
        <>
          {can('officer') && (
            <a class="btn btn--primary" href={href(['events', 'new'])} data-testid="event-new">
              Sự kiện mới
            </a>
          )}
          <a class="btn" href={href(['events', 'report'])} data-testid="event-report-link">
            Báo cáo 6 tháng
          </a>
        </>
      }
    >
      <div class="card">
        <Tabs label="Lọc theo trạng thái" value={filter} options={FILTERS} onChange={setFilter} />
        <div class="field field--inline">
          <label for="events-from">Từ ngày</label>
          <input id="events-from" type="date" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
          <span class="hint">{from ? '' : 'Để trống: các sự kiện từ 30 ngày trước trở đi.'}</span>
        </div>
        <ErrorBanner error={list.error} />
        {!list.data && list.loading && <Loading what="sự kiện" />}
        {list.data && list.data.items.length === 0 && <p class="muted">Không có sự kiện nào.</p>}
        {upcoming.length > 0 && (
          <>
            <h2>Sắp diễn ra</h2>
            <EventTable items={upcoming} />
          </>
        )}
        {past.length > 0 && (
          <>
            <h2>Đã diễn ra</h2>
            <EventTable items={past} />
          </>
        )}
      </div>
    </Page>
  );
}

function EventTable({ items }: { items: UnionEvent[] }) {
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Tên</th>
            <th scope="col">Thời gian</th>
            <th scope="col">Địa điểm</th>
            <th scope="col">Khu công nghiệp</th>
            <th scope="col" class="num">
              Đã đăng ký
            </th>
            <th scope="col">Trạng thái</th>
          </tr>
        </thead>
        <tbody>
          {items.map((e) => (
            <tr key={e.id} data-testid="event-row" data-id={e.id}>
              <td class="cell--name">
                <a href={href(['events', e.id])}>{e.title}</a>
                <div class="muted small">
                  {EVENT_KIND_NAMES[e.kind]} · {e.id}
                </div>
              </td>
              <td>{localDateTime(e.startsAt)}</td>
              <td>{e.place}</td>
              <td>{e.khu_cong_nghiep ?? '–'}</td>
              <td class="num">{places(e)}</td>
              <td>
                <EventStatusBadge event={e} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// ---- Create and edit ----

interface FormState {
  title: string;
  kind: EventKind;
  description: string;
  place: string;
  startsAt: string;
  capacity: string;
  khu_cong_nghiep: string;
  topic: string;
}

function formOf(e: UnionEvent | undefined): FormState {
  if (!e) {
    const inAWeek = localDateTimeInput(new Date(Date.now() + 7 * 24 * 3600_000)).slice(0, 10);
    return {
      title: '',
      kind: 'class',
      description: '',
      place: '',
      startsAt: `${inAWeek}T08:00`,
      capacity: '',
      khu_cong_nghiep: '',
      topic: '',
    };
  }
  return {
    title: e.title,
    kind: e.kind,
    description: e.description ?? '',
    place: e.place,
    startsAt: e.startsAt,
    capacity: e.capacity ? String(e.capacity) : '',
    khu_cong_nghiep: e.khu_cong_nghiep ?? '',
    topic: e.topic ?? '',
  };
}

function inputOf(f: FormState): EventInput {
  const input: EventInput = {
    title: f.title.trim(),
    kind: f.kind,
    place: f.place.trim(),
    startsAt: f.startsAt,
  };
  if (f.description.trim()) input.description = f.description.trim();
  if (f.capacity.trim()) input.capacity = Number(f.capacity);
  if (f.khu_cong_nghiep.trim()) input.khu_cong_nghiep = f.khu_cong_nghiep.trim();
  if (f.topic.trim()) input.topic = f.topic.trim();
  return input;
}

/** Only what changed; an optional field emptied becomes null (removed). */
function patchOf(before: UnionEvent, f: FormState): EventPatch {
  const after = inputOf(f);
  const patch: EventPatch = {};
  if (after.title !== before.title) patch.title = after.title;
  if (after.kind !== before.kind) patch.kind = after.kind;
  if (after.place !== before.place) patch.place = after.place;
  if (after.startsAt !== before.startsAt) patch.startsAt = after.startsAt;
  if (after.description !== before.description) patch.description = after.description ?? null;
  if (after.capacity !== before.capacity) patch.capacity = after.capacity ?? null;
  if (after.khu_cong_nghiep !== before.khu_cong_nghiep) patch.khu_cong_nghiep = after.khu_cong_nghiep ?? null;
  if (after.topic !== before.topic) patch.topic = after.topic ?? null;
  return patch;
}

export function EventEditor({ id }: { id?: string }) {
  const loaded = useAsync(() => (id ? api.event(id) : Promise.resolve(undefined)), [id]);
  if (id && !loaded.data) {
    return (
      <Page title="Sửa sự kiện">
        <ErrorBanner error={loaded.error} />
        {loaded.loading && <Loading what="sự kiện" />}
      </Page>
    );
  }
  return <EventForm key={id ?? 'new'} event={loaded.data} />;
}

function EventForm({ event }: { event?: UnionEvent }) {
  const [form, setForm] = useState<FormState>(() => formOf(event));
  const save = useAction();
  const set = (change: Partial<FormState>) => setForm((f) => ({ ...f, ...change }));
  const back = event ? href(['events', event.id]) : href(['events']);

  const onSubmit = (e: Event) => {
    e.preventDefault();
    void save.run(async () => {
      if (!event) {
        const created = await api.createEvent(inputOf(form));
        navigate(['events', created.id]);
        return;
      }
      const patch = patchOf(event, form);
      if (Object.keys(patch).length === 0) return 'Không có gì thay đổi.';
      await api.updateEvent(event.id, patch);
      navigate(['events', event.id]);
    });
  };

  return (
    <Page
      title={event ? `Sửa: ${event.title}` : 'Sự kiện, lớp học mới'}
      actions={
        <a class="btn btn--ghost" href={back}>
          ← Quay lại
        </a>
      }
    >
      <form class="card" onSubmit={onSubmit}>
        <div class="grid2">
          <div class="field span2">
            <label for="event-title">Tên sự kiện, lớp học</label>
            <input
              id="event-title"
              data-testid="event-title"
              value={form.title}
              maxLength={200}
              required
              placeholder="Lớp tuyên truyền pháp luật lao động"
              onInput={(e) => set({ title: e.currentTarget.value })}
            />
          </div>
          <div class="field">
            <label for="event-kind">Loại</label>
            <select
              id="event-kind"
              data-testid="event-kind"
              value={form.kind}
              onChange={(e) => set({ kind: e.currentTarget.value as EventKind })}
            >
              {EVENT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {EVENT_KIND_NAMES[k]}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="event-starts-at">Bắt đầu lúc (giờ Việt Nam, Asia/Ho_Chi_Minh)</label>
            <input
              id="event-starts-at"
              data-testid="event-starts-at"
              type="datetime-local"
              required
              value={form.startsAt}
              onInput={(e) => set({ startsAt: e.currentTarget.value })}
            />
            {event?.reminder && (
              <span class="hint">Đổi giờ thì lời nhắc hôm trước được hẹn lại theo giờ mới.</span>
            )}
          </div>
          <div class="field span2">
            <label for="event-place">Địa điểm</label>
            <input
              id="event-place"
              data-testid="event-place"
              value={form.place}
              maxLength={300}
              required
              placeholder="Nhà văn hóa công nhân KCN An Nghiệp"
              onInput={(e) => set({ place: e.currentTarget.value })}
            />
          </div>
          <div class="field">
            <label for="event-capacity">Sức chứa (số chỗ)</label>
            <input
              id="event-capacity"
              data-testid="event-capacity"
              type="number"
              min={Math.max(1, event?.registered ?? 1)}
              max={1_000_000}
              step={1}
              inputMode="numeric"
              value={form.capacity}
              onInput={(e) => set({ capacity: e.currentTarget.value })}
            />
            <span class="hint">
              Để trống nếu không giới hạn.
              {event && event.registered > 0 && ` Đã có ${num(event.registered)} người đăng ký.`}
            </span>
          </div>
          <div class="field">
            <label for="event-zone">Khu công nghiệp</label>
            <input
              id="event-zone"
              data-testid="event-zone"
              value={form.khu_cong_nghiep}
              maxLength={200}
              placeholder="An Nghiệp"
              onInput={(e) => set({ khu_cong_nghiep: e.currentTarget.value })}
            />
          </div>
          <div class="field">
            <label for="event-topic">Chủ đề</label>
            <input
              id="event-topic"
              data-testid="event-topic"
              value={form.topic}
              maxLength={100}
              list="event-topics"
              placeholder="tien_luong"
              onInput={(e) => set({ topic: e.currentTarget.value })}
            />
            {form.topic && TOPICS[form.topic] && <span class="hint">{TOPICS[form.topic]}</span>}
            <datalist id="event-topics">
              {Object.entries(TOPICS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </datalist>
          </div>
          <div class="field span2">
            <label for="event-description">Mô tả (không bắt buộc)</label>
            <textarea
              id="event-description"
              data-testid="event-description"
              rows={4}
              maxLength={4000}
              value={form.description}
              placeholder="Nội dung, người trình bày, cần mang theo gì…"
              onInput={(e) => set({ description: e.currentTarget.value })}
            />
          </div>
        </div>
        <ActionMessages action={save} />
        <div class="toolbar">
          <button type="submit" class="btn btn--primary" data-testid="event-save" disabled={save.busy}>
            {save.busy ? 'Đang lưu…' : event ? 'Lưu thay đổi' : 'Tạo sự kiện'}
          </button>
          <a class="btn btn--ghost" href={back}>
            Hủy
          </a>
        </div>
      </form>
    </Page>
  );
}

// ---- Detail, registrations and attendance ----

export function EventDetail({ id }: { id: string }) {
  const { can } = useSession();
  const officer = can('officer');
  const loaded = useAsync(() => api.event(id), [id]);
  const regs = useAsync(() => api.registrations(id), [id]);
  const action = useAction();
  const e = loaded.data;

  const change = (work: () => Promise<UnionEvent>, done: string) =>
    void action.run(async () => {
      loaded.setData(await work());
      return done;
    });

  if (!e) {
    return (
      <Page title="Sự kiện">
        <ErrorBanner error={loaded.error} />
        {loaded.loading && <Loading what="sự kiện" />}
      </Page>
    );
  }

  const cancelled = e.status === 'cancelled';
  return (
    <Page
      title={e.title}
      actions={
        <a class="btn btn--ghost" href={href(['events'])}>
          ← Danh sách sự kiện
        </a>
      }
    >
      <div class="row row--wrap">
        <EventStatusBadge event={e} />
        <span class="muted small">
          {EVENT_KIND_NAMES[e.kind]} · mã {e.id}
        </span>
      </div>
      {officer && !cancelled && (
        <div class="toolbar">
          <a class="btn" href={href(['events', e.id, 'edit'])} data-testid="event-edit">
            Sửa
          </a>
          {e.status === 'open' ? (
            <button
              type="button"
              class="btn"
              data-testid="event-close"
              disabled={action.busy}
              onClick={() =>
                change(() => api.updateEvent(e.id, { status: 'closed' }), 'Đã ngừng nhận đăng ký.')
              }
            >
              Ngừng nhận đăng ký
            </button>
          ) : (
            <button
              type="button"
              class="btn"
              data-testid="event-reopen"
              disabled={action.busy}
              onClick={() => change(() => api.updateEvent(e.id, { status: 'open' }), 'Đã mở lại đăng ký.')}
            >
              Mở lại đăng ký
            </button>
          )}
          <button
            type="button"
            class="btn btn--danger"
            data-testid="event-cancel"
            disabled={action.busy}
            onClick={() => {
              if (!confirm('Hủy sự kiện này? Không nhận đăng ký nữa và bỏ lời nhắc. Không hoàn tác được.'))
                return;
              change(() => api.cancelEvent(e.id), 'Đã hủy sự kiện.');
            }}
          >
            Hủy sự kiện
          </button>
        </div>
      )}
      <ActionMessages action={action} />
      <div class="grid2">
        <div class="card">
          <h2>Thông tin</h2>
          <dl class="facts">
            <dt>Thời gian</dt>
            <dd data-testid="event-when">{localDateTime(e.startsAt)}</dd>
            <dt>Địa điểm</dt>
            <dd>{e.place}</dd>
            {e.description && (
              <>
                <dt>Mô tả</dt>
                <dd class="pre">{e.description}</dd>
              </>
            )}
            <dt>Khu công nghiệp</dt>
            <dd>{e.khu_cong_nghiep ?? '–'}</dd>
            {e.topic && (
              <>
                <dt>Chủ đề</dt>
                <dd>{topicName(e.topic)}</dd>
              </>
            )}
            <dt>Đã đăng ký</dt>
            <dd data-testid="event-registered">
              {places(e)}
              {e.capacity && !cancelled ? ` · còn ${num(Math.max(0, e.capacity - e.registered))} chỗ` : ''}
            </dd>
            <dt>Lời nhắc</dt>
            <dd>
              {e.reminder
                ? `Gửi lúc ${localDateTime(e.reminder.fireAtLocal)}`
                : cancelled
                  ? 'Không (sự kiện đã hủy)'
                  : 'Không có'}
            </dd>
            {e.walkIns !== undefined && (
              <>
                <dt>Đến không đăng ký</dt>
                <dd>{num(e.walkIns)}</dd>
              </>
            )}
            <dt>Người tạo</dt>
            <dd>
              {e.createdBy} · {dateTime(e.createdAt)}
            </dd>
            {e.cancelledAt && (
              <>
                <dt>Hủy lúc</dt>
                <dd>{dateTime(e.cancelledAt)}</dd>
              </>
            )}
          </dl>
        </div>
        <div class="card">
          <h2>Mời qua chiến dịch</h2>
          <p class="small">
            Thêm vào chiến dịch một nút trả lời nhanh có mã dưới đây: người lao động bấm nút sẽ thấy thông tin
            sự kiện và được mời đăng ký.
          </p>
          <p>
            <CopyText text={e.invitePayload} label="mã mời" testid="event-invite-payload" />
          </p>
          {officer && e.status === 'open' && !started(e) && (
            <a
              class="btn btn--primary"
              data-testid="event-invite-campaign"
              href={href(['campaigns', 'new'], { invite: e.invitePayload, title: e.title })}
            >
              Tạo chiến dịch mời
            </a>
          )}
        </div>
      </div>
      <div class="card">
        <h2>Người đăng ký và điểm danh</h2>
        <ErrorBanner error={regs.error} />
        {!regs.data && regs.loading && <Loading what="danh sách đăng ký" />}
        {regs.data && (
          <Attendance
            event={e}
            items={regs.data.items}
            canMark={officer && !cancelled}
            onSaved={(event) => {
              loaded.setData(event);
              void regs.reload();
            }}
          />
        )}
      </div>
    </Page>
  );
}

function personName(r: EventRegistration): string {
  return r.name ?? r.displayName ?? r.userId;
}

function Attendance({
  event,
  items,
  canMark,
  onSaved,
}: {
  event: UnionEvent;
  items: EventRegistration[];
  canMark: boolean;
  onSaved: (event: UnionEvent) => void;
}) {
  /** The officer's ticks; a row not ticked or unticked here shows what the server has. */
  const [ticks, setTicks] = useState<Record<string, boolean>>({});
  const isChecked = (r: EventRegistration) => ticks[r.subscriberId] ?? r.attended === true;
  const [walkIns, setWalkIns] = useState(event.walkIns === undefined ? '' : String(event.walkIns));
  const save = useAction();
  const active = items.filter((r) => !r.cancelledAt);
  const present = items.filter(isChecked).length;

  const onSave = () =>
    void save.run(async () => {
      // Everyone still registered gets a mark (present or absent); a cancelled registration only when changed.
      const marks = items
        .filter((r) => (!r.cancelledAt && r.attended === undefined) || isChecked(r) !== (r.attended === true))
        .map((r) => ({ subscriberId: r.subscriberId, attended: isChecked(r) }));
      const body: { marks: typeof marks; walkIns?: number } = { marks };
      if (walkIns.trim() !== '') body.walkIns = Number(walkIns);
      const result = await api.saveAttendance(event.id, body);
      onSaved(result.event);
      return `Đã lưu điểm danh: ${num(present)} người có mặt${
        body.walkIns !== undefined ? `, ${num(body.walkIns)} người đến không đăng ký` : ''
      }${result.unknown.length ? `; ${num(result.unknown.length)} người không có đăng ký` : ''}.`;
    });

  const exportCsv = () =>
    downloadCsv(
      `dang-ky-${event.id}.csv`,
      [
        'Họ tên',
        'Số điện thoại',
        'Công ty',
        'Khu công nghiệp',
        'Kênh',
        'Mã người dùng',
        'Đăng ký lúc',
        'Hủy lúc',
        'Có mặt',
      ],
      items.map((r) => [
        personName(r),
        r.phone,
        r.company,
        r.khu_cong_nghiep,
        channelName(r.channel),
        r.userId,
        dateTime(r.registeredAt),
        r.cancelledAt ? dateTime(r.cancelledAt) : '',
        r.attended === undefined ? '' : r.attended ? 'có' : 'không',
      ]),
    );

  if (items.length === 0) {
    return <p class="muted">Chưa có ai đăng ký.</p>;
  }
  return (
    <>
      <p class="small">
        {num(active.length)} người đang đăng ký
        {items.length > active.length && `, ${num(items.length - active.length)} người đã hủy`} ·{' '}
        <strong data-testid="attendance-count">{num(present)}</strong> người được đánh dấu có mặt
        {!started(event) && ' · sự kiện chưa diễn ra'}
      </p>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Họ tên</th>
              <th scope="col">Số điện thoại</th>
              <th scope="col">Công ty</th>
              <th scope="col">Khu công nghiệp</th>
              <th scope="col">Đăng ký lúc</th>
              <th scope="col">Đã hủy</th>
              <th scope="col">Có mặt</th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr
                key={r.subscriberId}
                data-testid="registration-row"
                data-id={r.subscriberId}
                class={r.cancelledAt ? 'row--cancelled' : undefined}
              >
                <td>
                  {personName(r)}
                  <div class="muted small">
                    {channelName(r.channel)} · {r.userId}
                  </div>
                </td>
                <td>{r.phone ?? '–'}</td>
                <td>{r.company ?? '–'}</td>
                <td>{r.khu_cong_nghiep ?? '–'}</td>
                <td>{dateTime(r.registeredAt)}</td>
                <td>{r.cancelledAt ? dateTime(r.cancelledAt) : '–'}</td>
                <td>
                  <input
                    type="checkbox"
                    data-testid="attendance-checkbox"
                    aria-label={`Có mặt: ${personName(r)}`}
                    checked={isChecked(r)}
                    disabled={!canMark || save.busy}
                    onChange={(ev) => {
                      const value = ev.currentTarget.checked;
                      setTicks((t) => ({ ...t, [r.subscriberId]: value }));
                    }}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {canMark && (
        <div class="toolbar">
          <button
            type="button"
            class="btn btn--small"
            onClick={() =>
              setTicks((t) => ({ ...t, ...Object.fromEntries(active.map((r) => [r.subscriberId, true])) }))
            }
          >
            Đánh dấu tất cả người đang đăng ký có mặt
          </button>
        </div>
      )}
      <div class="toolbar">
        {canMark && (
          <>
            <label class="inline-field">
              Số người đến không đăng ký{' '}
              <input
                type="number"
                min={0}
                step={1}
                inputMode="numeric"
                class="input--narrow"
                data-testid="attendance-walkins"
                value={walkIns}
                onInput={(ev) => setWalkIns(ev.currentTarget.value)}
              />
            </label>
            <button
              type="button"
              class="btn btn--primary"
              data-testid="attendance-save"
              disabled={save.busy}
              onClick={onSave}
            >
              {save.busy ? 'Đang lưu…' : 'Lưu điểm danh'}
            </button>
          </>
        )}
        <button type="button" class="btn" onClick={exportCsv}>
          Tải danh sách CSV
        </button>
      </div>
      <ActionMessages action={save} />
    </>
  );
}

// ---- Six-month report ----

/** Each figure: its key, the CSV header, and the short table header. */
const FIGURE_COLUMNS: [keyof EventFigures, string, string][] = [
  ['held', 'Số buổi đã tổ chức', 'Đã tổ chức'],
  ['registrations', 'Lượt đăng ký', 'Đăng ký'],
  ['attended', 'Có mặt (đã đăng ký)', 'Có mặt'],
  ['walkIns', 'Đến không đăng ký', 'Không đăng ký'],
  ['participants', 'Tổng người tham dự', 'Tham dự'],
];

export function EventReportView() {
  const current = halfYear(today());
  const [period, setPeriod] = useState(current);
  const report = useAsync(() => api.eventReport(period), [period.from, period.to]);
  const previous = halfYear(today(), true);
  const r = report.data;

  return (
    <Page
      title="Báo cáo sự kiện, lớp học"
      actions={
        <a class="btn btn--ghost" href={href(['events'])}>
          ← Danh sách sự kiện
        </a>
      }
    >
      <div class="card">
        <div class="filters">
          <div class="field">
            <label for="report-from">Từ ngày</label>
            <input
              id="report-from"
              type="date"
              value={period.from}
              required
              onChange={(e) => e.currentTarget.value && setPeriod({ ...period, from: e.currentTarget.value })}
            />
          </div>
          <div class="field">
            <label for="report-to">Đến ngày</label>
            <input
              id="report-to"
              type="date"
              value={period.to}
              required
              onChange={(e) => e.currentTarget.value && setPeriod({ ...period, to: e.currentTarget.value })}
            />
          </div>
          <div class="field field--end">
            <div class="row row--wrap">
              <button type="button" class="btn btn--small" onClick={() => setPeriod(current)}>
                6 tháng này
              </button>
              <button type="button" class="btn btn--small" onClick={() => setPeriod(previous)}>
                6 tháng trước
              </button>
            </div>
          </div>
        </div>
        <p class="muted small">
          Tính các sự kiện bắt đầu trong khoảng ngày đã chọn (giờ Việt Nam). “Đã tổ chức” là sự kiện không bị
          hủy và đã tới giờ bắt đầu.
        </p>
      </div>
      <ErrorBanner error={report.error} />
      {!r && report.loading && <Loading what="báo cáo" />}
      {r && <ReportBody r={r} />}
    </Page>
  );
}

function ReportBody({ r }: { r: EventReport }) {
  const period = `${r.from}_${r.to}`;
  const kinds = EVENT_KINDS.map((k) => ({ label: EVENT_KIND_NAMES[k], ...r.byKind[k] }));
  const zones = r.byZone.map((z) => ({ label: z.khu_cong_nghiep, ...z }));
  const figureRows = (rows: (EventFigures & { label: string })[]) =>
    rows.map((row) => [row.label, ...FIGURE_COLUMNS.map(([key]) => row[key])]);

  return (
    <div data-testid="event-report">
      <p>
        Từ <strong>{localDate(r.from)}</strong> đến <strong>{localDate(r.to)}</strong>
      </p>
      <div class="stats">
        <Stat label="Đã tổ chức" value={r.totals.held} testid="report-held" />
        <Stat label="Lượt đăng ký" value={r.totals.registrations} testid="report-registrations" />
        <Stat label="Có mặt (đã đăng ký)" value={r.totals.attended} testid="report-attended" />
        <Stat label="Đến không đăng ký" value={r.totals.walkIns} />
        <Stat label="Tổng người tham dự" value={r.totals.participants} testid="report-participants" />
        <Stat label="Sắp diễn ra" value={r.totals.upcoming} />
        <Stat label="Đã hủy" value={r.totals.cancelled} />
      </div>
      <FiguresCard
        title="Theo loại"
        first="Loại"
        rows={kinds}
        onCsv={() =>
          downloadCsv(
            `bao-cao-su-kien_${period}_theo-loai.csv`,
            ['Loại', ...FIGURE_COLUMNS.map(([, l]) => l)],
            figureRows(kinds),
          )
        }
      />
      <FiguresCard
        title="Theo khu công nghiệp"
        first="Khu công nghiệp"
        rows={zones}
        onCsv={() =>
          downloadCsv(
            `bao-cao-su-kien_${period}_theo-khu-cong-nghiep.csv`,
            ['Khu công nghiệp', ...FIGURE_COLUMNS.map(([, l]) => l)],
            figureRows(zones),
          )
        }
      />
      <div class="card">
        <div class="row row--between row--wrap">
          <h2>Từng sự kiện</h2>
          <button
            type="button"
            class="btn btn--small"
            data-testid="event-report-csv"
            aria-label="Tải CSV: từng sự kiện"
            disabled={r.events.length === 0}
            onClick={() =>
              downloadCsv(
                `bao-cao-su-kien_${period}_danh-sach.csv`,
                [
                  'Mã',
                  'Tên',
                  'Loại',
                  'Bắt đầu',
                  'Khu công nghiệp',
                  'Tình trạng',
                  'Lượt đăng ký',
                  'Đã hủy đăng ký',
                  'Có mặt (đã đăng ký)',
                  'Đến không đăng ký',
                  'Tổng người tham dự',
                ],
                r.events.map((e) => [
                  e.id,
                  e.title,
                  EVENT_KIND_NAMES[e.kind],
                  e.startsAt.replace('T', ' '),
                  e.khu_cong_nghiep,
                  rowState(e),
                  e.registrations,
                  e.cancelledRegistrations,
                  e.attended,
                  e.walkIns,
                  e.participants,
                ]),
              )
            }
          >
            Tải CSV
          </button>
        </div>
        {r.events.length === 0 ? (
          <p class="muted">Không có sự kiện nào trong khoảng này.</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Tên</th>
                  <th scope="col">Bắt đầu</th>
                  <th scope="col">Khu công nghiệp</th>
                  <th scope="col">Tình trạng</th>
                  <th scope="col" class="num">
                    Đăng ký
                  </th>
                  <th scope="col" class="num">
                    Có mặt
                  </th>
                  <th scope="col" class="num">
                    Không đăng ký
                  </th>
                  <th scope="col" class="num">
                    Tham dự
                  </th>
                </tr>
              </thead>
              <tbody>
                {r.events.map((e) => (
                  <tr key={e.id}>
                    <td class="cell--name">
                      <a href={href(['events', e.id])}>{e.title}</a>
                      <div class="muted small">{EVENT_KIND_NAMES[e.kind]}</div>
                    </td>
                    <td>{localDateTime(e.startsAt, false)}</td>
                    <td>{e.khu_cong_nghiep ?? '–'}</td>
                    <td>{rowState(e)}</td>
                    <td class="num">{num(e.registrations)}</td>
                    <td class="num">{num(e.attended)}</td>
                    <td class="num">{num(e.walkIns)}</td>
                    <td class="num">{num(e.participants)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </div>
  );
}

function rowState(e: EventReport['events'][number]): string {
  if (e.status === 'cancelled') return 'Đã hủy';
  return e.held ? 'Đã tổ chức' : 'Sắp diễn ra';
}

function FiguresCard({
  title,
  first,
  rows,
  onCsv,
}: {
  title: string;
  first: string;
  rows: (EventFigures & { label: string })[];
  onCsv: () => void;
}) {
  const held = rows.filter((row) => row.held > 0);
  return (
    <div class="card">
      <div class="row row--between row--wrap">
        <h2>{title}</h2>
        <button
          type="button"
          class="btn btn--small"
          aria-label={`Tải CSV: ${title.toLowerCase()}`}
          disabled={rows.length === 0}
          onClick={onCsv}
        >
          Tải CSV
        </button>
      </div>
      <div class="report-figures">
        <BarChart
          table={false}
          label={`Lượt đăng ký, có mặt và tổng người tham dự ${title.toLowerCase()}`}
          options={{
            labels: held.map((row) => row.label),
            series: [
              { label: 'Lượt đăng ký', data: held.map((row) => row.registrations) },
              { label: 'Có mặt', data: held.map((row) => row.attended) },
              { label: 'Tổng tham dự', data: held.map((row) => row.participants) },
            ],
          }}
        />
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{first}</th>
                {FIGURE_COLUMNS.map(([key, long, short]) => (
                  <th scope="col" class="num" key={key} title={long}>
                    {short}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.label}>
                  <th scope="row">{row.label}</th>
                  {FIGURE_COLUMNS.map(([key]) => (
                    <td class="num" key={key}>
                      {num(row[key])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {rows.length === 0 && <p class="muted">Chưa có sự kiện nào đã tổ chức.</p>}
        </div>
      </div>
    </div>
  );
}

function Stat({ label, value, testid }: { label: string; value: number; testid?: string }) {
  return (
    <div class="stat">
      <div class="stat__value" data-testid={testid}>
        {num(value)}
      </div>
      <div class="stat__label">{label}</div>
    </div>
  );
}
