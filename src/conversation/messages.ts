import type { Citation } from '../knowledge/types.js';

/**
 * Channel-neutral outgoing messages: what the flow engine produces. The renderer turns them into
 * botbuilder Activities within each channel's limits.
 */
export interface QuickReply {
  title: string;
  /** Label for channels with short title limits. */
  short?: string;
  payload: string;
  /** A word that selects this option when typed (e.g. "bỏ qua"); numbered menus show it instead of a number. */
  typed?: string;
}

export interface LinkButton {
  title: string;
  short?: string;
  url: string;
}

export type Button = QuickReply | LinkButton;

export interface OutMessage {
  text: string;
  quickReplies?: QuickReply[];
  buttons?: Button[];
  citations?: Citation[];
}

export function isLink(button: Button): button is LinkButton {
  return 'url' in button;
}

/**
 * The choices a worker can make from a message, in display order: quick replies, then payload buttons.
 * Numbered menus and typed answers ("2", "bhxh") resolve against this list.
 */
export function selectableOptions(message: OutMessage): QuickReply[] {
  return [
    ...(message.quickReplies ?? []),
    ...(message.buttons ?? []).filter((b): b is QuickReply => !isLink(b)),
  ];
}
