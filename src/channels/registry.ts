import type { ChannelFactory } from '../app.js';

/**
 * The channels `npm start` runs besides web chat. Each factory returns undefined when its credentials
 * are absent, so a fresh clone serves web chat only.
 */
export const defaultChannels: ChannelFactory[] = [];
