/** Vietnamese labels and number/date formatting used across the screens. */
import type {
  CampaignStatus,
  EventKind,
  EventStatus,
  InboxStatus,
  QuestionType,
  Role,
  SegmentField,
  SurveyStatus,
  TicketStatus,
} from './types';
import { PROFILE_ATTRIBUTES } from './types';

export const TIME_ZONE = 'Asia/Ho_Chi_Minh';

const numberFormat = new Intl.NumberFormat('vi-VN');
const dateTimeFormat = new Intl.DateTimeFormat('vi-VN', {
  timeZone: TIME_ZONE,
  dateStyle: 'short',
  timeStyle: 'short',
});

export function num(n: number | undefined): string {
  return n === undefined ? '–' : numberFormat.format(n);
}

export function percent(part: number, whole: number): string {
  if (!whole) return '–';
  return `${new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 }).format((part / whole) * 100)}%`;
}

export function dateTime(iso: string | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTimeFormat.format(d);
}

/** "YYYY-MM-DDTHH:MM" of a moment in Việt Nam time (for datetime-local inputs). */
export function localDateTimeInput(date: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: TIME_ZONE,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

const WEEKDAYS = ['Chủ nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'];

/** A local "YYYY-MM-DDTHH:MM" (Việt Nam time, as events store it) for reading: "Thứ Bảy 12/12/2026 08:00". */
export function localDateTime(local: string | undefined, weekday = true): string {
  const m = local ? /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(local) : null;
  if (!m) return local ?? '–';
  const [, y, mo, d, h, mi] = m;
  const day = `${d}/${mo}/${y}`;
  const name = weekday
    ? `${WEEKDAYS[new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d))).getUTCDay()]} `
    : '';
  return `${name}${day}${h ? ` ${h}:${mi}` : ''}`;
}

/** "YYYY-MM-DD" → "31/01/2026". */
export function localDate(day: string | undefined): string {
  return localDateTime(day, false);
}

/** Today in Việt Nam, "YYYY-MM-DD". */
export function today(now = new Date()): string {
  return localDateTimeInput(now).slice(0, 10);
}

/** The half-year unions report on, as the server's default: 1/1–30/6 or 1/7–31/12 (Việt Nam time). */
export function halfYear(day: string, previous = false): { from: string; to: string } {
  let year = Number(day.slice(0, 4));
  let first = day.slice(5) < '07-01';
  if (previous) {
    if (first) year -= 1;
    first = !first;
  }
  return first
    ? { from: `${year}-01-01`, to: `${year}-06-30` }
    : { from: `${year}-07-01`, to: `${year}-12-31` };
}

export const ROLE_NAMES: Record<Role, string> = {
  viewer: 'Người xem',
  officer: 'Cán bộ',
  admin: 'Quản trị',
};

const ROLE_RANK: Record<Role, number> = { viewer: 1, officer: 2, admin: 3 };

export function roleAllows(role: Role | undefined, needed: Role): boolean {
  return role !== undefined && ROLE_RANK[role] >= ROLE_RANK[needed];
}

export const CAMPAIGN_STATUS: Record<CampaignStatus, string> = {
  draft: 'Bản nháp',
  awaiting_approval: 'Chờ duyệt',
  scheduled: 'Đã lên lịch',
  running: 'Đang gửi',
  paused: 'Tạm dừng',
  completed: 'Hoàn thành',
  cancelled: 'Đã hủy',
};

export const INBOX_STATUS: Record<InboxStatus, string> = {
  open: 'Đang chờ',
  assigned: 'Đang xử lý',
  closed: 'Đã đóng',
};

export const TICKET_STATUS: Record<TicketStatus, string> = {
  new: 'Mới',
  in_progress: 'Đang xử lý',
  resolved: 'Đã giải quyết',
  closed: 'Đã đóng',
};

export const CHANNELS: Record<string, string> = {
  web: 'Web',
  messenger: 'Messenger',
  'zalo-oa': 'Zalo OA',
  'zalo-personal': 'Zalo cá nhân',
  msteams: 'Teams',
  console: 'Thử nghiệm',
};

/** Channels a campaign (and a test send) can push to. */
export const PUSH_CHANNELS = ['web', 'messenger', 'zalo-oa', 'zalo-personal'];

export function channelName(channel: string): string {
  return CHANNELS[channel] ?? channel;
}

export const SEGMENT_FIELD_NAMES: Record<SegmentField, string> = {
  channel: 'Kênh',
  topic: 'Chủ đề quan tâm',
  khu_cong_nghiep: PROFILE_ATTRIBUTES.khu_cong_nghiep,
  company: PROFILE_ATTRIBUTES.company,
  union_branch: PROFILE_ATTRIBUTES.union_branch,
  province: PROFILE_ATTRIBUTES.province,
  district: PROFILE_ATTRIBUTES.district,
};

/** src/knowledge/topics.ts LEAFLET_TOPICS (labels only). */
export const TOPICS: Record<string, string> = {
  hop_dong: 'Hợp đồng lao động',
  tien_luong: 'Tiền lương',
  thoi_gio: 'Giờ làm, nghỉ ngơi',
  cham_dut: 'Chấm dứt hợp đồng',
  ky_luat: 'Kỷ luật lao động',
  lao_dong_nu: 'Lao động nữ, thai sản',
  chua_thanh_nien: 'Lao động chưa thành niên',
  bhxh: 'Bảo hiểm xã hội',
  bhyt: 'Bảo hiểm y tế',
  bhtn: 'Bảo hiểm thất nghiệp',
  cong_doan: 'Công đoàn',
  an_toan: 'An toàn lao động',
  lua_dao: 'Lừa đảo',
  tin_dung_den: 'Tín dụng đen',
  ma_tuy: 'Ma túy',
  co_bac: 'Cờ bạc',
  trom_cap: 'Trộm cắp',
  giao_thong: 'Giao thông',
  tro_giup: 'Nơi được giúp đỡ',
  lao_dong: 'Pháp luật lao động',
  bao_hiem: 'Bảo hiểm',
  an_ninh: 'An ninh, trật tự',
};

export function topicName(topic: string): string {
  return TOPICS[topic] ?? topic;
}

export const DELIVERY_STATUS: Record<string, string> = {
  sent: 'Đã gửi',
  failed: 'Lỗi',
  skipped: 'Bỏ qua',
  unknown: 'Chưa rõ',
  delivered: 'Đã nhận',
  read: 'Đã đọc',
  queued: 'Đang chờ',
};

/** Folds Vietnamese text to ASCII: "Tăng ca" → "Tang ca". */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
}

/** A stable id from a title: "Có, tôi tham gia" → "co_toi_tham_gia". */
export function slug(text: string): string {
  return fold(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40);
}

/** src/tickets/store.ts TICKET_CATEGORIES */
export const TICKET_CATEGORIES: Record<string, string> = {
  cham_no_luong: 'Chậm lương, nợ lương',
  khong_dong_bhxh: 'Không đóng bảo hiểm xã hội',
  tang_ca_qua_gio: 'Tăng ca quá giờ',
  mat_an_toan: 'Mất an toàn lao động',
  xuc_pham_quay_roi: 'Xúc phạm, quấy rối',
  lua_dao_trom_cap: 'Lừa đảo, trộm cắp',
  khac: 'Khác',
};

/** Channels subscribers can be listed and imported for (src/broadcast/csv-import.ts IMPORT_CHANNELS). */
export const SUBSCRIBER_CHANNELS = ['messenger', 'zalo-oa', 'zalo-personal', 'web'];

/** src/events/store.ts EVENT_KINDS */
export const EVENT_KIND_NAMES: Record<EventKind, string> = {
  class: 'Lớp học',
  festival: 'Ngày hội',
  other: 'Sự kiện khác',
};

export const EVENT_STATUS: Record<EventStatus, string> = {
  open: 'Đang nhận đăng ký',
  closed: 'Ngừng nhận đăng ký',
  cancelled: 'Đã hủy',
};

export const SURVEY_STATUS: Record<SurveyStatus, string> = {
  open: 'Đang mở',
  closed: 'Đã đóng',
};

export const QUESTION_TYPE_NAMES: Record<QuestionType, string> = {
  single_choice: 'Chọn một đáp án',
  scale: 'Thang điểm 1–5',
  text: 'Trả lời tự do',
};

/** Lower-case, no diacritics, single spaces: what searches compare ("Thủ Đức" → "thu duc"). */
export function searchKey(text: string): string {
  return fold(text).toLowerCase().replace(/\s+/g, ' ').trim();
}
