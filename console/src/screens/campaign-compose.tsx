import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, errorMessage } from '../api';
import {
  CHANNELS,
  PUSH_CHANNELS,
  SEGMENT_FIELD_NAMES,
  TOPICS,
  localDateTimeInput,
  num,
  slug,
} from '../format';
import { href, navigate } from '../router';
import type {
  CampaignContent,
  CampaignInput,
  CampaignSchedule,
  MessengerTag,
  Segment,
  SegmentField,
} from '../types';
import { MESSENGER_TAGS, SEGMENT_FIELDS } from '../types';
import { ActionMessages, Page, useAction, useDebounced } from '../ui';

interface FilterRow {
  field: SegmentField;
  values: string;
}

const MESSENGER_TAG_NAMES: Record<MessengerTag, string> = {
  CONFIRMED_EVENT_UPDATE: 'CONFIRMED_EVENT_UPDATE – cập nhật sự kiện đã đăng ký',
  ACCOUNT_UPDATE: 'ACCOUNT_UPDATE – cập nhật tài khoản',
  POST_PURCHASE_UPDATE: 'POST_PURCHASE_UPDATE – sau giao dịch',
};

/** Filters with at least one value, as the API takes them. */
export function segmentOf(rows: FilterRow[]): Segment {
  return {
    where: rows
      .map((r) => ({
        field: r.field,
        values: r.values
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean),
      }))
      .filter((f) => f.values.length > 0),
  };
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

function unique(ids: string[]): string[] {
  const seen = new Map<string, number>();
  return ids.map((id) => {
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    return n === 1 ? id : `${id}_${n}`;
  });
}

/** Quick replies from one title per line; payloads derived from the titles (A-Z, 0-9, _). */
export function quickRepliesOf(text: string): CampaignContent['quickReplies'] {
  const titles = lines(text);
  if (!titles.length) return undefined;
  const payloads = unique(
    titles.map((t, i) => {
      const p = slug(t).toUpperCase();
      return p ? (/^[A-Z]/.test(p) ? p : `QR_${p}`) : `QR_${i + 1}`;
    }),
  );
  return titles.map((title, i) => ({ title, payload: payloads[i]! }));
}

/** Poll options from one answer per line; ids derived from the answers (a-z, 0-9, _). */
export function pollOf(text: string): CampaignContent['poll'] {
  const titles = lines(text);
  if (!titles.length) return undefined;
  const ids = unique(titles.map((t, i) => slug(t) || `lua_chon_${i + 1}`));
  return { options: titles.map((title, i) => ({ id: ids[i]!, title })) };
}

type QuickReply = NonNullable<CampaignContent['quickReplies']>[number];

/**
 * What a composer opened from an event or a survey ("#/campaigns/new?invite=EVENT_K7M2Q9&title=…") starts
 * with: a name, a message and the quick reply that carries the payload. Undefined for any other payload.
 */
export function invitation(
  payload: string | undefined,
  title: string | undefined,
): { name: string; text: string; reply: QuickReply } | undefined {
  if (!payload || !/^[A-Z][A-Z0-9_]*$/.test(payload)) return undefined;
  const what = title?.trim() ? `“${title.trim()}”` : '';
  if (payload.startsWith('SURVEY_')) {
    return {
      name: `Mời trả lời khảo sát ${what}`.trim().slice(0, 200),
      text: `Công đoàn mời bạn trả lời khảo sát ${what}. Bấm “Trả lời khảo sát” để bắt đầu, chỉ mất vài phút.`,
      reply: { title: 'Trả lời khảo sát', payload },
    };
  }
  if (payload.startsWith('EVENT_')) {
    return {
      name: `Mời tham gia ${what}`.trim().slice(0, 200),
      text: `Công đoàn mời bạn tham gia ${what}. Bấm “Đăng ký tham gia” để xem thời gian, địa điểm và đăng ký.`,
      reply: { title: 'Đăng ký tham gia', payload },
    };
  }
  return { name: '', text: '', reply: { title: title?.trim().slice(0, 80) || payload, payload } };
}

export function CampaignComposer({ invite, inviteTitle }: { invite?: string; inviteTitle?: string } = {}) {
  const [prefill] = useState(() => invitation(invite, inviteTitle));
  const [name, setName] = useState(prefill?.name ?? '');
  const [text, setText] = useState(prefill?.text ?? '');
  /** Quick replies with a given payload (an event or survey invitation), kept apart from the typed ones. */
  const [fixedReplies, setFixedReplies] = useState<QuickReply[]>(prefill ? [prefill.reply] : []);
  const [linkTitle, setLinkTitle] = useState('');
  const [linkUrl, setLinkUrl] = useState('');
  const [imageUrl, setImageUrl] = useState('');
  const [quickReplies, setQuickReplies] = useState('');
  const [pollOptions, setPollOptions] = useState('');
  const [filters, setFilters] = useState<FilterRow[]>([{ field: 'khu_cong_nghiep', values: '' }]);
  const [scheduleType, setScheduleType] = useState<CampaignSchedule['type']>('now');
  const [at, setAt] = useState(() => localDateTimeInput(new Date(Date.now() + 60 * 60_000)));
  const [cron, setCron] = useState('0 8 * * 1');
  const [requiresApproval, setRequiresApproval] = useState(false);
  const [messengerTag, setMessengerTag] = useState<MessengerTag | ''>('');
  const save = useAction();

  const segment = useMemo(() => segmentOf(filters), [filters]);
  const segmentKey = useDebounced(JSON.stringify(segment), 400);
  const [count, setCount] = useState<number | undefined>(undefined);
  const [counting, setCounting] = useState(false);
  const [countError, setCountError] = useState<string | undefined>(undefined);

  useEffect(() => {
    let cancelled = false;
    setCounting(true);
    api
      .previewSegment(JSON.parse(segmentKey) as Segment)
      .then((r) => {
        if (cancelled) return;
        setCount(r.count);
        setCountError(undefined);
      })
      .catch((err: unknown) => !cancelled && setCountError(errorMessage(err)))
      .finally(() => !cancelled && setCounting(false));
    return () => {
      cancelled = true;
    };
  }, [segmentKey]);

  const setFilter = (i: number, change: Partial<FilterRow>) =>
    setFilters(filters.map((f, j) => (j === i ? { ...f, ...change } : f)));

  const replies = quickRepliesOf(quickReplies);
  const poll = pollOf(pollOptions);

  const onSubmit = (e: Event) => {
    e.preventDefault();
    void save.run(async () => {
      const content: CampaignContent = { text: text.trim() };
      if (linkUrl.trim()) content.link = { title: linkTitle.trim() || 'Xem chi tiết', url: linkUrl.trim() };
      if (imageUrl.trim()) content.imageUrl = imageUrl.trim();
      const allReplies = [
        ...fixedReplies.map((r) => ({ title: r.title.trim(), payload: r.payload })),
        ...(replies ?? []).filter((r) => !fixedReplies.some((f) => f.payload === r.payload)),
      ];
      if (allReplies.length) content.quickReplies = allReplies;
      if (poll) content.poll = poll;
      const schedule: CampaignSchedule =
        scheduleType === 'at'
          ? { type: 'at', at }
          : scheduleType === 'cron'
            ? { type: 'cron', cron: cron.trim() }
            : { type: 'now' };
      const input: CampaignInput = { name: name.trim(), content, segment, schedule, requiresApproval };
      if (messengerTag) input.messengerTag = messengerTag;
      const created = await api.createCampaign(input);
      navigate(['campaigns', created.id]);
    });
  };

  return (
    <Page
      title="Chiến dịch mới"
      actions={
        <a class="btn btn--ghost" href={href(['campaigns'])}>
          ← Danh sách chiến dịch
        </a>
      }
    >
      <form class="composer" onSubmit={onSubmit}>
        <fieldset class="card">
          <legend>Nội dung</legend>
          <div class="field">
            <label for="campaign-name">Tên chiến dịch</label>
            <input
              id="campaign-name"
              data-testid="campaign-name"
              value={name}
              maxLength={200}
              required
              onInput={(e) => setName(e.currentTarget.value)}
            />
          </div>
          <div class="field">
            <label for="campaign-text">Nội dung tin nhắn</label>
            <textarea
              id="campaign-text"
              data-testid="campaign-text"
              rows={6}
              maxLength={4000}
              required
              value={text}
              onInput={(e) => setText(e.currentTarget.value)}
            />
            <span class="hint">{num(text.length)}/4.000 ký tự</span>
          </div>
          {fixedReplies.length > 0 && (
            <div class="field">
              <span class="label">Nút mời (người lao động bấm để đăng ký hoặc trả lời)</span>
              {fixedReplies.map((r, i) => (
                <div class="row" key={r.payload}>
                  <label for={`campaign-fixed-reply-${i}`} class="sr-only">
                    Tên nút {r.payload}
                  </label>
                  <input
                    id={`campaign-fixed-reply-${i}`}
                    class="grow"
                    data-testid="campaign-invite-reply"
                    value={r.title}
                    maxLength={80}
                    required
                    onInput={(e) => {
                      const title = e.currentTarget.value;
                      setFixedReplies(fixedReplies.map((f, j) => (j === i ? { ...f, title } : f)));
                    }}
                  />
                  <code data-testid="campaign-invite-payload">{r.payload}</code>
                  <button
                    type="button"
                    class="btn btn--ghost btn--small"
                    aria-label={`Bỏ nút ${r.title}`}
                    onClick={() => setFixedReplies(fixedReplies.filter((_, j) => j !== i))}
                  >
                    Bỏ
                  </button>
                </div>
              ))}
            </div>
          )}
          <details>
            <summary>Đường dẫn, hình ảnh, nút trả lời nhanh, bình chọn (không bắt buộc)</summary>
            <div class="grid2">
              <div class="field">
                <label for="campaign-link-title">Tên đường dẫn</label>
                <input
                  id="campaign-link-title"
                  value={linkTitle}
                  maxLength={80}
                  placeholder="Xem chi tiết"
                  onInput={(e) => setLinkTitle(e.currentTarget.value)}
                />
              </div>
              <div class="field">
                <label for="campaign-link-url">Địa chỉ đường dẫn</label>
                <input
                  id="campaign-link-url"
                  type="url"
                  value={linkUrl}
                  placeholder="https://"
                  onInput={(e) => setLinkUrl(e.currentTarget.value)}
                />
              </div>
            </div>
            <div class="field">
              <label for="campaign-image">Địa chỉ hình ảnh</label>
              <input
                id="campaign-image"
                type="url"
                value={imageUrl}
                placeholder="https://"
                onInput={(e) => setImageUrl(e.currentTarget.value)}
              />
            </div>
            <div class="grid2">
              <div class="field">
                <label for="campaign-replies">Nút trả lời nhanh (mỗi dòng một nút)</label>
                <textarea
                  id="campaign-replies"
                  rows={3}
                  value={quickReplies}
                  onInput={(e) => setQuickReplies(e.currentTarget.value)}
                />
                {replies && <span class="hint">Mã: {replies.map((r) => r.payload).join(', ')}</span>}
              </div>
              <div class="field">
                <label for="campaign-poll">Bình chọn: các lựa chọn (mỗi dòng một lựa chọn, ít nhất 2)</label>
                <textarea
                  id="campaign-poll"
                  rows={3}
                  value={pollOptions}
                  onInput={(e) => setPollOptions(e.currentTarget.value)}
                />
                {poll && <span class="hint">Mã: {poll.options.map((o) => o.id).join(', ')}</span>}
              </div>
            </div>
          </details>
        </fieldset>

        <fieldset class="card">
          <legend>Người nhận</legend>
          <p class="muted small">
            Chỉ những người đã đồng ý nhận tin. Mọi điều kiện đều phải đúng; trong một điều kiện, khớp một giá
            trị bất kỳ (các giá trị cách nhau bằng dấu phẩy).
          </p>
          {filters.map((f, i) => (
            <div class="filter" key={i}>
              <div class="field">
                <label for={`segment-field-${i}`}>Trường</label>
                <select
                  id={`segment-field-${i}`}
                  data-testid={i === 0 ? 'segment-field' : undefined}
                  value={f.field}
                  onChange={(e) => setFilter(i, { field: e.currentTarget.value as SegmentField })}
                >
                  {SEGMENT_FIELDS.map((field) => (
                    <option key={field} value={field}>
                      {SEGMENT_FIELD_NAMES[field]}
                    </option>
                  ))}
                </select>
              </div>
              <div class="field grow">
                <label for={`segment-values-${i}`}>Giá trị</label>
                <input
                  id={`segment-values-${i}`}
                  data-testid={i === 0 ? 'segment-values' : undefined}
                  value={f.values}
                  list={
                    f.field === 'channel'
                      ? 'channel-values'
                      : f.field === 'topic'
                        ? 'topic-values'
                        : undefined
                  }
                  placeholder={f.field === 'khu_cong_nghiep' ? 'An Nghiệp, Hòa Phú' : ''}
                  onInput={(e) => setFilter(i, { values: e.currentTarget.value })}
                />
              </div>
              <button
                type="button"
                class="btn btn--ghost btn--small"
                aria-label={`Bỏ điều kiện ${i + 1}`}
                onClick={() => setFilters(filters.filter((_, j) => j !== i))}
              >
                Bỏ
              </button>
            </div>
          ))}
          <datalist id="channel-values">
            {Object.keys(CHANNELS).map((c) => (
              <option key={c} value={c}>
                {CHANNELS[c]}
              </option>
            ))}
          </datalist>
          <datalist id="topic-values">
            {Object.entries(TOPICS).map(([id, label]) => (
              <option key={id} value={id}>
                {label}
              </option>
            ))}
          </datalist>
          <button
            type="button"
            class="btn btn--small"
            data-testid="segment-add"
            onClick={() => setFilters([...filters, { field: 'company', values: '' }])}
          >
            Thêm điều kiện
          </button>
          <p class="segment-count" role="status" aria-live="polite">
            Số người sẽ nhận:{' '}
            <strong data-testid="segment-count" aria-busy={counting}>
              {count ?? '…'}
            </strong>
            {counting && <span class="muted small"> (đang đếm…)</span>}
          </p>
          {countError && (
            <div class="banner banner--error" role="alert" data-testid="error-banner">
              Không đếm được: {countError}
            </div>
          )}
        </fieldset>

        <fieldset class="card">
          <legend>Lịch gửi</legend>
          <div class="grid2">
            <div class="field">
              <label for="schedule-type">Khi nào gửi</label>
              <select
                id="schedule-type"
                data-testid="schedule-type"
                value={scheduleType}
                onChange={(e) => setScheduleType(e.currentTarget.value as CampaignSchedule['type'])}
              >
                <option value="now">Ngay khi được gửi đi (hoặc được duyệt)</option>
                <option value="at">Vào một thời điểm</option>
                <option value="cron">Lặp lại theo lịch (cron)</option>
              </select>
            </div>
            {scheduleType === 'at' && (
              <div class="field">
                <label for="schedule-at">Thời điểm (giờ Việt Nam, Asia/Ho_Chi_Minh)</label>
                <input
                  id="schedule-at"
                  data-testid="schedule-at"
                  type="datetime-local"
                  required
                  value={at}
                  onInput={(e) => setAt(e.currentTarget.value)}
                />
              </div>
            )}
            {scheduleType === 'cron' && (
              <div class="field">
                <label for="schedule-cron">Lịch cron (giờ Việt Nam)</label>
                <input
                  id="schedule-cron"
                  data-testid="schedule-cron"
                  value={cron}
                  required
                  minLength={9}
                  class="code-input"
                  onInput={(e) => setCron(e.currentTarget.value)}
                />
                <span class="hint">Ví dụ: “0 8 * * 1” = 8 giờ sáng thứ Hai hằng tuần.</span>
              </div>
            )}
          </div>
          <div class="field field--check">
            <input
              id="campaign-approval"
              type="checkbox"
              checked={requiresApproval}
              onChange={(e) => setRequiresApproval(e.currentTarget.checked)}
            />
            <label for="campaign-approval">Cần cán bộ khác duyệt trước khi gửi</label>
          </div>
          <div class="field">
            <label for="campaign-tag">Thẻ tin nhắn Messenger (gửi ngoài khung 24 giờ)</label>
            <select
              id="campaign-tag"
              value={messengerTag}
              onChange={(e) => setMessengerTag(e.currentTarget.value as MessengerTag | '')}
            >
              <option value="">Không dùng</option>
              {MESSENGER_TAGS.map((t) => (
                <option key={t} value={t}>
                  {MESSENGER_TAG_NAMES[t]}
                </option>
              ))}
            </select>
          </div>
          <p class="muted small">
            Kênh gửi chủ động: {PUSH_CHANNELS.map((c) => CHANNELS[c] ?? c).join(', ')}. Chiến dịch được lưu ở
            dạng bản nháp; bấm “Gửi đi” ở trang chi tiết để lên lịch.
          </p>
        </fieldset>

        <ActionMessages action={save} />
        <div class="toolbar">
          <button type="submit" class="btn btn--primary" data-testid="campaign-save" disabled={save.busy}>
            {save.busy ? 'Đang lưu…' : 'Lưu chiến dịch'}
          </button>
          <a class="btn btn--ghost" href={href(['campaigns'])}>
            Hủy
          </a>
        </div>
      </form>
    </Page>
  );
}
