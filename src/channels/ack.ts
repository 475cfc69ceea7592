/**
 * Platforms expect a webhook to answer quickly (Zalo: 2 s, Messenger: 20 s) and resend what is not
 * acknowledged. A turn usually finishes well within that, so the webhook answers once the events are
 * processed — a crash before that means the platform resends them and nothing is lost. A slow turn (waiting
 * for the worker's previous message) is acknowledged at the budget and finishes in the background.
 */
export async function settleWithin(work: Promise<unknown>, budgetMs: number): Promise<'done' | 'late'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), budgetMs);
  });
  try {
    return await Promise.race([work.then(() => 'done' as const), late]);
  } finally {
    clearTimeout(timer);
  }
}
