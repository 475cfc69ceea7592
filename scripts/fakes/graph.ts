import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

/** One Send API request as the fake Graph API received it. */
export interface GraphRequest {
  at: number;
  recipient: string;
  accepted?: boolean;
  body: {
    recipient: { id: string };
    messaging_type: string;
    tag?: string;
    message: { text?: string; attachment?: unknown; quick_replies?: unknown[] };
  };
}

const PAGE_ID = '105000000000001';

/** What the fake answers to a request: a success, or a Graph error (shapes from Meta's docs). */
export type GraphAnswer =
  | { ok: true }
  | { status: number; error: { message: string; type: string; code: number; error_subcode?: number } };

export interface FakeGraph {
  /** The base the client is given as MESSENGER_API_URL (with the version, like the real one). */
  url: string;
  /** Requests it accepted (messages "delivered"). */
  requests: GraphRequest[];
  /** Every request that reached it, refused ones too. */
  received: GraphRequest[];
  /** Requests per recipient. */
  countsByRecipient(): Map<string, number>;
  /** The most requests received in any sliding window of `windowMs`. */
  maxInWindow(windowMs: number): number;
  close(): Promise<void>;
}

/**
 * A local stand-in for the Messenger Send API (`POST /v25.0/me/messages`) and the Conversations API
 * (`GET /v25.0/me/conversations?platform=messenger&user_id=…`), reachable from child processes
 * too (the fault test's worker, the broadcast benchmark). Success bodies are `{recipient_id, message_id}`; errors are Graph error
 * objects, as in Meta's Send API reference.
 */
export async function startFakeGraph(
  options: { delayMs?: number; answer?: (req: GraphRequest, index: number) => GraphAnswer } = {},
): Promise<FakeGraph> {
  const requests: GraphRequest[] = [];
  const received: GraphRequest[] = [];
  let counter = 0;
  const server: Server = createServer(async (req, res) => {
    // For tests that run the fake in another process: what it received so far.
    if (req.method === 'GET' && req.url === '/_received') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(received.map((r) => [r.recipient, r.at, r.accepted ? 1 : 0])));
      return;
    }
    const url = new URL(req.url ?? '/', 'http://fake');
    // Conversations API: the Page's conversation with one person, newest message first.
    if (req.method === 'GET' && url.pathname.endsWith('/me/conversations')) {
      const psid = url.searchParams.get('user_id') ?? '';
      const messages = requests
        .filter((r) => r.recipient === psid)
        .reverse()
        .slice(0, 20)
        .map((r, i) => ({
          message: r.body.message.text ?? '',
          created_time: new Date(r.at).toISOString().replace(/\.\d{3}Z$/, '+0000'),
          from: { name: 'Công đoàn KCN', id: PAGE_ID },
          id: `m_${psid}_${i}`,
        }));
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({ data: messages.length ? [{ messages: { data: messages }, id: `t_${psid}` }] : [] }),
      );
      return;
    }
    const body = JSON.parse(await readBody(req)) as GraphRequest['body'];
    const request: GraphRequest = { at: Date.now(), recipient: body.recipient.id, body };
    const index = counter++;
    received.push(request);
    const answer = options.answer?.(request, index) ?? { ok: true };
    if ('ok' in answer) {
      request.accepted = true;
      requests.push(request);
    }
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    res.setHeader('content-type', 'application/json');
    if ('ok' in answer) {
      res.end(JSON.stringify({ recipient_id: body.recipient.id, message_id: `m_${index}` }));
    } else {
      res.statusCode = answer.status;
      res.end(JSON.stringify({ error: { ...answer.error, fbtrace_id: `trace${index}` } }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v25.0`,
    requests,
    received,
    countsByRecipient() {
      const counts = new Map<string, number>();
      for (const r of requests) counts.set(r.recipient, (counts.get(r.recipient) ?? 0) + 1);
      return counts;
    },
    maxInWindow(windowMs) {
      return maxInWindow(
        received.map((r) => r.at),
        windowMs,
      );
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The most timestamps in any window [t, t + windowMs). */
export function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

// `tsx scripts/fakes/graph.ts [--delay ms]`: runs the fake alone and prints its URL (for trying a worker
// against it by hand); prints the number of requests received when stopped.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const delayArg = process.argv.indexOf('--delay');
  const fake = await startFakeGraph({ delayMs: delayArg > 0 ? Number(process.argv[delayArg + 1]) : 0 });
  console.log(fake.url);
  process.on('SIGINT', () => {
    console.log(`${fake.received.length} requests`);
    void fake.close().then(() => process.exit(0));
  });
}

/** What a fake running in another process received: [recipient, time, accepted]. */
export async function receivedBy(
  url: string,
): Promise<{ recipient: string; at: number; accepted: boolean }[]> {
  const res = await fetch(`${new URL(url).origin}/_received`);
  const rows = (await res.json()) as [string, number, number][];
  return rows.map(([recipient, at, accepted]) => ({ recipient, at, accepted: accepted === 1 }));
}
