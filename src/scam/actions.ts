import { z } from 'zod';
import { matchKey } from '../knowledge/normalize.js';
import type { ActionDefinition } from '../conversation/actions/registry.js';

/**
 * "Kiểm tra tin nhắn lạ": matches what the worker pasted or told against the scam patterns and answers with
 * the matching leaflet warning (its text and citation come from the knowledge base) and what to do now.
 * Outcomes: `match` (a known pattern), `suspicious` (no pattern, but a link or a request for money), `unclear`.
 */
export const scamCheck: ActionDefinition<{ text: string }> = {
  name: 'scam_check',
  description: 'So khớp tin nhắn/cuộc gọi đáng ngờ với các kiểu lừa đảo trong kho tài liệu',
  args: z.object({ text: z.string() }).strict(),
  outputs: ['scam_name'],
  outcomes: ['match', 'suspicious', 'unclear'],
  async run(ctx, args) {
    const text = ctx.render(args.text);
    const library = await ctx.services.scams.get();
    const [best] = library.match(text);
    if (!best) {
      const money = /chuyen (tien|khoan)|nap tien|dong phi|otp|mat khau/.test(matchKey(text));
      return { outcome: library.hasLink(text) || money ? 'suspicious' : 'unclear' };
    }
    const warning = ctx.services.answerer.section?.(best.pattern.section);
    ctx.services.logger.info({ pattern: best.pattern.id, score: best.score }, 'scam check matched');
    const say = [
      { text: `⚠️ Tin này có dấu hiệu lừa đảo: ${best.pattern.name}.` },
      ...(warning ? [{ text: warning.answer, citations: warning.citations }] : []),
      { text: `Việc cần làm ngay:\n${best.pattern.do_now.map((s) => `• ${s}`).join('\n')}` },
    ];
    return { outcome: 'match', vars: { scam_name: best.pattern.name }, say };
  },
};
