import type { Request, Response } from 'express';

/** An open server-sent-events stream; comments keep proxies from closing it while nothing happens. */
export class EventStream {
  private closed = false;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly closeHandlers: (() => void)[] = [];

  constructor(
    req: Request,
    private readonly res: Response,
  ) {
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      // nginx buffers responses unless told not to.
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    res.write('retry: 3000\n\n');
    this.heartbeat = setInterval(() => res.write(': ping\n\n'), 15_000);
    req.on('close', () => this.close());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  send(event: string, data: unknown): void {
    if (this.closed) return;
    this.res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  onClose(fn: () => void): void {
    this.closeHandlers.push(fn);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    for (const fn of this.closeHandlers) fn();
    this.res.end();
  }
}
