import type { Activity } from 'botbuilder';
import { z } from 'zod';
import { uaData } from '../render.js';

/** Body of `POST /api/chat` (see ARCHITECTURE.md); `id`, `name` are optional extensions. */
export const webChatRequestSchema = z
  .object({
    userId: z
      .string()
      .min(1, 'userId không được để trống')
      .max(128, 'userId dài quá 128 ký tự')
      .regex(/^[\w.:@-]+$/, 'userId chỉ gồm chữ không dấu, số và . : @ _ -'),
    text: z.string().max(20_000).optional(),
    payload: z.string().max(300).optional(),
    /** Client message id: a retried request with the same id is answered once. */
    id: z.string().min(1).max(128).optional(),
    name: z.string().max(100).optional(),
  })
  .refine((b) => (b.text?.trim() ?? '') !== '' || (b.payload ?? '') !== '', {
    message: 'cần text hoặc payload',
    path: ['text'],
  });

export type WebChatRequest = z.infer<typeof webChatRequestSchema>;

export interface WebMessage {
  text: string;
  quickReplies?: { title: string; payload: string }[];
  citations?: { lawId: string; article: string }[];
  links?: { title: string; url: string }[];
}

export function toWebMessage(activity: Partial<Activity>): WebMessage {
  const message: WebMessage = { text: activity.text ?? '' };
  const actions = activity.suggestedActions?.actions ?? [];
  if (actions.length > 0)
    message.quickReplies = actions.map((a) => ({
      title: a.title ?? String(a.value),
      payload: String(a.value),
    }));
  const data = uaData(activity);
  if (data.citations?.length) message.citations = data.citations;
  if (data.links?.length) message.links = data.links;
  return message;
}
