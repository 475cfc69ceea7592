import type { OutMessage } from '../conversation/messages.js';
import { commandKey } from '../knowledge/normalize.js';

/** What the worker reads when an officer joins: who it is, and that they answer right here. */
export function officerJoinedText(officerName: string): string {
  return `Cán bộ công đoàn ${officerName} đã tham gia cuộc trò chuyện. Bạn cứ nhắn, cán bộ sẽ trả lời ngay tại đây.`;
}

const MENU = { title: 'Menu', payload: 'MENU' };

export const OFFICER_CLOSED_MESSAGE: OutMessage = {
  text: 'Cán bộ đã kết thúc cuộc trò chuyện. Trợ lý sẽ tiếp tục hỗ trợ bạn; gõ "gặp cán bộ" nếu cần gặp lại.',
  quickReplies: [MENU],
};

export const WORKER_ENDED_MESSAGE: OutMessage = {
  text: 'Bạn đã kết thúc cuộc trò chuyện với cán bộ. Trợ lý sẽ tiếp tục hỗ trợ bạn; gõ "gặp cán bộ" nếu cần gặp lại.',
  quickReplies: [MENU],
};

/**
 * What a worker types, as the whole message, to leave an officer and get the bot back. Kept to explicit
 * phrases: while an officer is answering, anything else ("cảm ơn", "ok", a question) is for the officer.
 * Compared without diacritics and trailing particles ("Kết thúc ạ" = "ket thuc").
 */
const END_PHRASES = new Set(
  [
    'kết thúc',
    'kết thúc trò chuyện',
    'kết thúc cuộc trò chuyện',
    'gặp trợ lý',
    'quay lại trợ lý',
    'nói chuyện với trợ lý',
    'trò chuyện với trợ lý',
  ].map(commandKey),
);

/** Payload of a button that ends the handoff, for flows or channels that offer one. */
export const END_HANDOFF_PAYLOAD = 'END_HANDOFF';

export function isEndPhrase(text: string | undefined, payload?: string): boolean {
  if (payload === END_HANDOFF_PAYLOAD) return true;
  return text !== undefined && END_PHRASES.has(commandKey(text));
}

/** System notes the officer sees in the conversation (officer-facing, Vietnamese). */
export const NOTES = {
  created: (reason?: string) =>
    reason ? `Người lao động yêu cầu gặp cán bộ: "${reason}"` : 'Người lao động yêu cầu gặp cán bộ.',
  taken: (name: string) => `${name} đã nhận cuộc trò chuyện.`,
  takenOver: (name: string, previous: string) => `${name} đã nhận lại cuộc trò chuyện từ ${previous}.`,
  closedByOfficer: (name: string) => `${name} đã kết thúc cuộc trò chuyện; trợ lý tiếp tục trả lời.`,
  closedByWorker: 'Người lao động đã kết thúc cuộc trò chuyện; trợ lý tiếp tục trả lời.',
  notDelivered: (reason: string) => `Chưa gửi được thông báo cho người lao động (${reason}).`,
};
