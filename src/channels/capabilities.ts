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
}

export const CHANNEL_CAPABILITIES: Record<string, ChannelCapabilities> = {
  // The web chat page renders any number of buttons; the limits only keep the page tidy on a phone.
  web: { quickReplies: { max: 13, titleMax: 40 }, linkButtons: { max: 3, titleMax: 40 }, textMax: 4000 },
  // A terminal shows text only.
  console: { textMax: 10_000 },
  // Messenger Platform: at most 13 quick replies with titles of at most 20 characters; text messages up to
  // 2000 characters; URL buttons in a button template, at most 3, titles up to 20 characters.
  messenger: {
    quickReplies: { max: 13, titleMax: 20 },
    linkButtons: { max: 3, titleMax: 20 },
    textMax: 2000,
  },
};

/** Unknown channels get the most conservative rendering: plain text with numbered menus. */
const PLAIN_TEXT: ChannelCapabilities = { textMax: 2000 };

export function capabilitiesFor(channelId: string): ChannelCapabilities {
  return CHANNEL_CAPABILITIES[channelId] ?? PLAIN_TEXT;
}
