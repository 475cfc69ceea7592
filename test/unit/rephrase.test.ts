import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  checkRephrase,
  createRephraser,
  rephraseSafely,
  type RephraseInput,
} from '../../src/knowledge/rephrase.js';

const input: RephraseInput = {
  question: 'Làm thêm giờ ngày thường được trả lương thế nào?',
  answer:
    'Người lao động làm thêm giờ được trả lương: vào ngày thường, ít nhất bằng 150%; vào ngày nghỉ hằng tuần, ít nhất bằng 200%.',
  passages: [
    'Điều 98. Tiền lương làm thêm giờ, làm việc vào ban đêm. 1. Người lao động làm thêm giờ được trả lương được tính theo đơn giá tiền lương hoặc tiền lương thực trả theo công việc đang làm như sau: a) Vào ngày thường, ít nhất bằng 150%; b) Vào ngày nghỉ hằng tuần, ít nhất bằng 200%; c) Vào ngày nghỉ lễ, tết, ngày nghỉ có hưởng lương, ít nhất bằng 300%.',
    'Mức lương tối thiểu vùng I là 4.960.000 đồng/tháng.',
  ],
};

const GOOD = 'Nếu bạn làm thêm giờ vào ngày thường, công ty phải trả ít nhất 150% lương.';

/** OpenAI `POST /chat/completions` response, shaped as in the API reference. */
function chatCompletion(model: string, content: string) {
  return {
    id: 'chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG',
    object: 'chat.completion',
    created: 1741570283,
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: {
      prompt_tokens: 412,
      completion_tokens: 31,
      total_tokens: 443,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
    },
    service_tier: 'default',
    system_fingerprint: 'fp_06737a9306',
  };
}

/** Ollama's streamed `POST /api/chat` reply: one JSON object per line, the last with `done: true`. */
function ollamaChatStream(model: string, pieces: string[]): string {
  const chunks: object[] = pieces.map((content, i) => ({
    model,
    created_at: `2025-05-01T08:00:0${i}.000000Z`,
    message: { role: 'assistant', content },
    done: false,
  }));
  chunks.push({
    model,
    created_at: '2025-05-01T08:00:09.000000Z',
    message: { role: 'assistant', content: '' },
    done_reason: 'stop',
    done: true,
    total_duration: 4883583458,
    load_duration: 1334875,
    prompt_eval_count: 412,
    prompt_eval_duration: 342546000,
    eval_count: 31,
    eval_duration: 4535599000,
  });
  return chunks.map((chunk) => JSON.stringify(chunk)).join('\n') + '\n';
}

type Message = { role: string; content: string };

function asRecord(body: nock.Body): Record<string, unknown> {
  if (typeof body === 'string') return JSON.parse(body) as Record<string, unknown>;
  return body as Record<string, unknown>;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('checkRephrase', () => {
  it('accepts numbers that occur in the answer or the passages, in either thousands form', () => {
    expect(checkRephrase(GOOD, input)).toEqual({ ok: true });
    expect(checkRephrase('Lương tối thiểu vùng I là 4960000 đồng mỗi tháng.', input)).toEqual({ ok: true });
    expect(checkRephrase('Điều 98: ngày lễ, tết được trả ít nhất 300%.', input)).toEqual({ ok: true });
  });

  it('rejects a number that is not in the sources', () => {
    const check = checkRephrase('Bạn được trả ít nhất 180% lương và thưởng 2.000.000 đồng.', input);
    expect(check).toEqual({ ok: false, reason: 'numbers not in the sources: 180, 2.000.000' });
    // "1,5" is one and a half, not 15 or 1.500.
    expect(checkRephrase('Bạn được trả 1,5 lần lương.', input).ok).toBe(false);
  });

  it('rejects empty and bloated output', () => {
    expect(checkRephrase('  \n', input)).toEqual({ ok: false, reason: 'empty output' });
    const check = checkRephrase('Làm thêm giờ. '.repeat(40), { ...input, answer: 'Ngắn.' });
    expect(check.ok).toBe(false);
    expect(!check.ok && check.reason).toMatch(/too long/);
  });
});

describe('rephrasing through an OpenAI-compatible endpoint', () => {
  const settings = {
    provider: 'openai',
    baseUrl: 'http://llm.test/v1',
    model: 'qwen2.5-7b-instruct',
    apiKey: 'sk-test',
    timeoutMs: 2000,
  } as const;

  it('returns a good rephrase and sends the model, temperature 0 and the passages', async () => {
    let body: Record<string, unknown> = {};
    let authorization: unknown;
    const scope = nock('http://llm.test')
      .post('/v1/chat/completions')
      .reply(function (_uri, requestBody) {
        body = asRecord(requestBody);
        authorization = this.req.headers.authorization;
        return [200, chatCompletion('qwen2.5-7b-instruct', GOOD)];
      });
    const rephraser = createRephraser(settings);

    const result = await rephraseSafely(rephraser, input, settings.timeoutMs);

    expect(result).toEqual({ text: GOOD, rephrased: true });
    expect(rephraser?.id).toBe('openai:qwen2.5-7b-instruct@llm.test');
    expect(scope.isDone()).toBe(true);
    expect(authorization).toBe('Bearer sk-test');
    expect(body).toMatchObject({ model: 'qwen2.5-7b-instruct', temperature: 0, stream: false });
    const messages = body.messages as Message[];
    expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(messages[0]?.content).toContain('tiếng Việt có đầy đủ dấu');
    expect(messages[0]?.content).toContain('Giữ nguyên chính xác mọi con số');
    const human = messages[1]?.content ?? '';
    expect(human).toContain(input.question);
    expect(human).toContain(input.answer);
    for (const [i, passage] of input.passages.entries()) expect(human).toContain(`[${i + 1}] ${passage}`);
  });

  it('keeps the original when the output has a number not in the passages', async () => {
    nock('http://llm.test')
      .post('/v1/chat/completions')
      .reply(200, chatCompletion('qwen2.5-7b-instruct', 'Bạn được trả ít nhất 170% lương.'));

    const result = await rephraseSafely(createRephraser(settings), input, settings.timeoutMs);

    expect(result).toEqual({
      text: input.answer,
      rephrased: false,
      reason: 'numbers not in the sources: 170',
    });
  });

  it('falls back when the endpoint is too slow', async () => {
    nock('http://llm.test')
      .post('/v1/chat/completions')
      .delay(3000)
      .reply(200, chatCompletion('qwen2.5-7b-instruct', GOOD));

    const started = Date.now();
    const result = await rephraseSafely(createRephraser(settings), input, 200);

    expect(result).toEqual({ text: input.answer, rephrased: false, reason: 'timed out after 200 ms' });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('falls back on an HTTP 500, without retrying', async () => {
    nock('http://llm.test')
      .post('/v1/chat/completions')
      .once()
      .reply(500, { error: { message: 'The server had an error', type: 'server_error' } });

    const result = await rephraseSafely(createRephraser(settings), input, settings.timeoutMs);

    expect(result.text).toBe(input.answer);
    expect(result.rephrased).toBe(false);
    expect(result.reason).toMatch(/^openai:qwen2\.5-7b-instruct@llm\.test failed: 500/);
  });

  it('falls back on empty output', async () => {
    nock('http://llm.test')
      .post('/v1/chat/completions')
      .reply(200, chatCompletion('qwen2.5-7b-instruct', ' '));

    const result = await rephraseSafely(createRephraser(settings), input, settings.timeoutMs);

    expect(result).toEqual({ text: input.answer, rephrased: false, reason: 'empty output' });
  });
});

describe('rephrasing through Ollama', () => {
  const settings = {
    provider: 'ollama',
    baseUrl: 'http://ollama.test:11434',
    model: 'qwen2.5:7b',
    timeoutMs: 2000,
  } as const;

  it('returns a good rephrase assembled from the stream, and sends temperature 0 and the passages', async () => {
    let body: Record<string, unknown> = {};
    const scope = nock('http://ollama.test:11434')
      .post('/api/chat')
      .reply(
        200,
        (_uri, requestBody) => {
          body = asRecord(requestBody);
          return ollamaChatStream('qwen2.5:7b', [
            'Nếu bạn làm thêm giờ vào ngày thường, ',
            'công ty phải trả ít nhất 150% lương.',
          ]);
        },
        { 'Content-Type': 'application/x-ndjson' },
      );
    const rephraser = createRephraser(settings);

    const result = await rephraseSafely(rephraser, input, settings.timeoutMs);

    expect(result).toEqual({ text: GOOD, rephrased: true });
    expect(rephraser?.id).toBe('ollama:qwen2.5:7b');
    expect(scope.isDone()).toBe(true);
    // ChatOllama always streams, even for a plain invoke().
    expect(body).toMatchObject({ model: 'qwen2.5:7b', stream: true, options: { temperature: 0 } });
    const messages = body.messages as Message[];
    expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(messages[0]?.content).toContain('Chỉ dùng thông tin có trong các đoạn trích');
    for (const passage of input.passages) expect(messages[1]?.content).toContain(passage);
  });

  it('falls back when Ollama is too slow', async () => {
    nock('http://ollama.test:11434')
      .post('/api/chat')
      .delay(3000)
      .reply(200, ollamaChatStream('qwen2.5:7b', [GOOD]), { 'Content-Type': 'application/x-ndjson' });

    const started = Date.now();
    const result = await rephraseSafely(createRephraser(settings), input, 200);

    expect(result).toEqual({ text: input.answer, rephrased: false, reason: 'timed out after 200 ms' });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('falls back on an HTTP 500', async () => {
    nock('http://ollama.test:11434')
      .post('/api/chat')
      .reply(500, { error: 'llama runner process has terminated' });

    const result = await rephraseSafely(createRephraser(settings), input, settings.timeoutMs);

    expect(result).toEqual({
      text: input.answer,
      rephrased: false,
      reason: 'ollama:qwen2.5:7b failed: llama runner process has terminated',
    });
  });
});

describe('rephrasing turned off', () => {
  it("gives no rephraser for provider 'none', and the original answer", async () => {
    const rephraser = createRephraser({ provider: 'none', timeoutMs: 2000 });
    expect(rephraser).toBeUndefined();
    await expect(rephraseSafely(rephraser, input, 2000)).resolves.toEqual({
      text: input.answer,
      rephrased: false,
      reason: 'rephrasing disabled',
    });
  });
});
