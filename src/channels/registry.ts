import type { ChannelFactory } from '../app.js';
import { botFrameworkChannel } from './botframework/index.js';
import { messengerChannel } from './messenger/index.js';
import { zaloOaChannel } from './zalo-oa/index.js';
import { zaloPersonalChannel } from './zalo-personal/index.js';

/**
 * The channels `npm start` runs besides web chat. Each factory returns undefined when its credentials
 * are absent (or, for the personal Zalo account, unless it is enabled), so a fresh clone serves web chat
 * only.
 */
export const defaultChannels: ChannelFactory[] = [
  messengerChannel,
  zaloOaChannel,
  zaloPersonalChannel,
  botFrameworkChannel,
];
