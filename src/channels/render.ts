import { ActionTypes, type Activity, type CardAction } from 'botbuilder';
import {
  isLink,
  selectableOptions,
  type LinkButton,
  type OutMessage,
  type QuickReply,
} from '../conversation/messages.js';
import type { ChannelCapabilities } from './capabilities.js';

/** Extra, channel-neutral data our adapters read from `activity.channelData`. */
export interface UaChannelData {
  citations?: { lawId: string; article: string }[];
  links?: { title: string; url: string }[];
}

function label(option: { title: string; short?: string }, max: number): string | undefined {
  if (option.title.length <= max) return option.title;
  if (option.short && option.short.length <= max) return option.short;
  return undefined;
}

/** "Gõ 1 hoặc 2" / "Gõ 1, 2 hoặc 3" / "Gõ số từ 1 đến 7". */
export function numberPrompt(count: number): string {
  if (count === 1) return 'Gõ 1 để chọn.';
  if (count <= 4) {
    const nums = Array.from({ length: count }, (_, i) => String(i + 1));
    return `Gõ ${nums.slice(0, -1).join(', ')} hoặc ${nums[nums.length - 1]}.`;
  }
  return `Gõ số từ 1 đến ${count} để chọn.`;
}

/**
 * The text form of a list of options: numbered lines, then a hint for options chosen by a typed word
 * ("bỏ qua"), which keep no number so that a typed number always means the numbered line.
 */
export function numberedMenu(options: QuickReply[]): string {
  const numbered = options.filter((o) => !o.typed);
  const typed = options.filter((o) => o.typed);
  const lines = numbered.map((o, i) => `${i + 1}. ${o.title}`);
  if (numbered.length > 0) lines.push(numberPrompt(numbered.length));
  if (typed.length > 0) {
    const words = typed.map((o) => `"${o.typed}"`).join(' hoặc ');
    lines.push(
      numbered.length > 0
        ? `Hoặc gõ ${words}.`
        : `Gõ ${words} nếu bạn muốn ${typed[0]!.title.toLowerCase()}.`,
    );
  }
  return lines.join('\n');
}

/** Splits text into pieces of at most `max` characters, at paragraph or sentence ends where possible. */
export function splitText(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const sentences = text.match(/[^.!?…\n]+(?:[.!?…]+|\n+|$)\s*/gu) ?? [text];
  const chunks: string[] = [];
  let current = '';
  const flush = () => {
    if (current.trim()) chunks.push(current.trim());
    current = '';
  };
  for (let s of sentences) {
    while (s.length > max) {
      // A single sentence longer than the limit: cut at the last space that fits.
      flush();
      const cut = s.lastIndexOf(' ', max) > max / 2 ? s.lastIndexOf(' ', max) : max;
      chunks.push(s.slice(0, cut).trim());
      s = s.slice(cut);
    }
    if (current.length + s.length > max) flush();
    current += s;
  }
  flush();
  return chunks;
}

/**
 * Turns channel-neutral messages into botbuilder Activities within a channel's limits. Options become
 * `suggestedActions` when they all fit; otherwise a numbered menu is written into the text (with number
 * quick replies where the channel has them). Links become card buttons or lines of text.
 */
export function renderMessages(messages: OutMessage[], caps: ChannelCapabilities): Partial<Activity>[] {
  return messages.flatMap((m) => renderMessage(m, caps));
}

function renderMessage(message: OutMessage, caps: ChannelCapabilities): Partial<Activity>[] {
  let text = message.text;
  const options = selectableOptions(message);
  const links = (message.buttons ?? []).filter(isLink);
  let actions: CardAction[] = [];

  if (options.length > 0) {
    const qr = caps.quickReplies;
    const labels = qr ? options.map((o) => label(o, qr.titleMax)) : [];
    if (qr && options.length <= qr.max && labels.every((l) => l !== undefined)) {
      actions = options.map((o, i) => postBack(labels[i]!, o));
    } else {
      text += `\n\n${numberedMenu(options)}`;
      if (qr && options.length <= qr.max) {
        let n = 0;
        actions = options.map((o) => postBack(o.typed ? (label(o, qr.titleMax) ?? o.typed) : String(++n), o));
      }
    }
  }

  let linkData: LinkButton[] = [];
  if (links.length > 0) {
    const lb = caps.linkButtons;
    if (lb && links.length <= lb.max)
      linkData = links.map((l) => ({
        title: label(l, lb.titleMax) ?? l.title.slice(0, lb.titleMax),
        url: l.url,
      }));
    else text += `\n\n${links.map((l) => `${l.title}: ${l.url}`).join('\n')}`;
  }

  const pieces = splitText(text, caps.textMax);
  return pieces.map((piece, i) => {
    const last = i === pieces.length - 1;
    const channelData: UaChannelData = {};
    if (last && message.citations?.length) channelData.citations = message.citations;
    if (last && linkData.length) channelData.links = linkData.map(({ title, url }) => ({ title, url }));
    const activity: Partial<Activity> = { type: 'message', text: piece };
    if (last && actions.length) activity.suggestedActions = { actions, to: [] };
    if (Object.keys(channelData).length) activity.channelData = { ua: channelData };
    return activity;
  });
}

function postBack(title: string, option: QuickReply): CardAction {
  return { type: ActionTypes.PostBack, title, value: option.payload };
}

/** Reads our channel data back from an Activity (adapters use it when serialising for their platform). */
export function uaData(activity: Partial<Activity>): UaChannelData {
  return ((activity.channelData as { ua?: UaChannelData } | undefined)?.ua ?? {}) as UaChannelData;
}
