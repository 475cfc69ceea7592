/**
 * What each channel can display. The renderer reads this table so that one flow works everywhere:
 * options that do not fit become a numbered text menu ("Gõ 1, 2 hoặc 3").
 */
export interface ChannelCapabilities {
  /** Tappable quick replies under a message; absent when the channel has none. */
  quickReplies?: { max: number; titleMax: number };
  /** Link buttons (open a URL); absent when links must be written into the text. */
  linkButtons?: { max: number; titleMax: number };
  /** Longest text of one message; longer answers are split at sentence boundaries. */
  textMax: number;
  /**
   * How long after a worker's last message the bot may still write to them (broadcasts, officer replies):
   * free within `freeHours`; allowed (tagged, or billed) until `maxHours`; never after. Absent: no limit.
   */
  messagingWindow?: { freeHours: number; maxHours: number };
}

const BOT_FRAMEWORK: ChannelCapabilities = {
  // Web Chat, Direct Line and the Emulator render suggested actions as buttons; no documented count limit.
  quickReplies: { max: 10, titleMax: 40 },
  linkButtons: { max: 3, titleMax: 40 },
  textMax: 4000,
};

export const CHANNEL_CAPABILITIES: Record<string, ChannelCapabilities> = {
  // The web chat page renders any number of buttons; the limits only keep the page tidy on a phone.
  web: { quickReplies: { max: 13, titleMax: 40 }, linkButtons: { max: 3, titleMax: 40 }, textMax: 4000 },
  // A terminal shows text only.
  console: { textMax: 10_000 },
  // Messenger Platform: at most 13 quick replies with titles of at most 20 characters; text under 2000
  // characters; URL buttons in a button template, 1–3, titles of 20 characters. Standard messaging window
  // 24 hours; a human agent (HUMAN_AGENT tag) may answer for 7 days.
  messenger: {
    quickReplies: { max: 13, titleMax: 20 },
    linkButtons: { max: 3, titleMax: 20 },
    textMax: 1990,
    messagingWindow: { freeHours: 24, maxHours: 24 * 7 },
  },
  // Zalo OA: no quick replies but up to 5 buttons under a customer-service message (query buttons carry a
  // payload back, URL buttons open a page), titles up to 100 characters; text up to 2000 characters.
  // Customer-service messages are free within 48 hours of the worker's last interaction and refused
  // after 7 days.
  'zalo-oa': {
    quickReplies: { max: 5, titleMax: 100 },
    linkButtons: { max: 5, titleMax: 100 },
    textMax: 2000,
    messagingWindow: { freeHours: 48, maxHours: 24 * 7 },
  },
  // A personal Zalo account sends plain text (menus become numbered lists).
  'zalo-personal': { textMax: 2000 },
  emulator: BOT_FRAMEWORK,
  webchat: BOT_FRAMEWORK,
  directline: BOT_FRAMEWORK,
  msteams: BOT_FRAMEWORK,
};

/** Unknown channels get the most conservative rendering: plain text with numbered menus. */
const PLAIN_TEXT: ChannelCapabilities = { textMax: 2000 };

export function capabilitiesFor(channelId: string): ChannelCapabilities {
  return CHANNEL_CAPABILITIES[channelId] ?? PLAIN_TEXT;
}
