import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { Activity, ResourceResponse, TurnContext } from 'botbuilder';
import { uaData } from '../render.js';
import { ChannelAdapter, type TurnLogic } from '../adapter.js';

/**
 * Terminal channel (`npm run chat`): lines typed by an admin or officer become message Activities; replies
 * are printed. Its capability entry has no buttons, so menus arrive numbered, as on the simplest phones.
 */
export class ConsoleAdapter extends ChannelAdapter {
  readonly channelId = 'console';

  constructor(
    private readonly output: Writable,
    private readonly user: { id: string; name?: string },
  ) {
    super();
  }

  async say(text: string, logic: TurnLogic): Promise<void> {
    await this.processActivity(
      {
        type: 'message',
        id: randomUUID(),
        channelId: this.channelId,
        serviceUrl: 'console',
        timestamp: new Date(),
        from: { id: this.user.id, name: this.user.name ?? '', role: 'user' },
        recipient: { id: 'union-assistant', name: 'Trợ lý Công đoàn', role: 'bot' },
        conversation: { id: this.user.id, isGroup: false, conversationType: 'personal', name: '' },
        text,
        locale: 'vi-VN',
      },
      logic,
    );
  }

  override async sendActivities(
    _context: TurnContext,
    activities: Partial<Activity>[],
  ): Promise<ResourceResponse[]> {
    for (const a of activities) {
      if ((a.type ?? 'message') !== 'message') continue;
      const { citations, links } = uaData(a);
      let out = a.text ?? '';
      if (citations?.length)
        out += `\n  (Căn cứ: ${citations.map((c) => `Điều ${c.article}, ${c.lawId}`).join('; ')})`;
      if (links?.length) out += `\n${links.map((l) => `  ${l.title}: ${l.url}`).join('\n')}`;
      this.output.write(`\n🤖 ${out.replace(/\n/g, '\n   ')}\n`);
    }
    return activities.map(() => ({ id: randomUUID() }));
  }
}
