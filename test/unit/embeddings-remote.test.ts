import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOllamaEmbeddings, createOpenAiEmbeddings } from '../../src/knowledge/embeddings/remote.js';

/** Each fake vector encodes the number in its text ("đoạn 7" → [7, 0.5]), so order mistakes show. */
function fakeVector(text: string): number[] {
  const n = Number(/\d+/.exec(text)?.[0] ?? -1);
  return [n, 0.5];
}

interface Seen {
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

function asRecord(body: nock.Body): Record<string, unknown> {
  if (typeof body === 'string') return JSON.parse(body) as Record<string, unknown>;
  return body as Record<string, unknown>;
}

function inputsOf(body: Record<string, unknown>): string[] {
  const input = body.input;
  return typeof input === 'string' ? [input] : (input as string[]);
}

/** OpenAI `POST /embeddings` response, shaped as in the API reference. */
function openAiEmbeddingList(model: string, inputs: string[], order: 'as-sent' | 'reversed' = 'as-sent') {
  const data = inputs.map((text, index) => ({ object: 'embedding', index, embedding: fakeVector(text) }));
  if (order === 'reversed') data.reverse();
  return { object: 'list', data, model, usage: { prompt_tokens: 8, total_tokens: 8 } };
}

/** Ollama `POST /api/embed` response, shaped as in docs/api.md. */
function ollamaEmbedResponse(model: string, inputs: string[]) {
  return {
    model,
    embeddings: inputs.map(fakeVector),
    total_duration: 14143917,
    load_duration: 1019500,
    prompt_eval_count: 8,
  };
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('OpenAI-compatible embeddings', () => {
  const baseUrl = 'http://gateway.test/v1';

  it('posts the model and texts with the bearer key and returns vectors in input order', async () => {
    const seen: Seen[] = [];
    const scope = nock('http://gateway.test')
      .post('/v1/embeddings')
      .reply(function (_uri, body) {
        const parsed = asRecord(body);
        seen.push({ headers: this.req.headers, body: parsed });
        // Shuffled on purpose: the API gives each vector an `index` and does not promise the order.
        return [200, openAiEmbeddingList('bge-m3', inputsOf(parsed), 'reversed')];
      });
    const { embeddings, id } = createOpenAiEmbeddings({
      provider: 'openai',
      baseUrl,
      model: 'bge-m3',
      apiKey: 'sk-test',
    });

    const vectors = await embeddings.embedDocuments(['đoạn 1', 'đoạn 2', 'đoạn 3']);

    expect(vectors).toEqual([fakeVector('1'), fakeVector('2'), fakeVector('3')]);
    expect(id).toBe('openai:bge-m3@gateway.test');
    expect(seen).toHaveLength(1);
    expect(seen[0]?.headers.authorization).toBe('Bearer sk-test');
    expect(seen[0]?.body).toEqual({
      model: 'bge-m3',
      input: ['đoạn 1', 'đoạn 2', 'đoạn 3'],
      // Asked for plain floats, not the SDK's default base64 (see remote.ts).
      encoding_format: 'float',
    });
    expect(scope.isDone()).toBe(true);
  });

  it('embeds a query', async () => {
    let sent: Record<string, unknown> | undefined;
    nock('http://gateway.test')
      .post('/v1/embeddings')
      .reply(200, (_uri, body) => {
        sent = asRecord(body);
        return openAiEmbeddingList('bge-m3', inputsOf(sent));
      });
    const { embeddings } = createOpenAiEmbeddings({ provider: 'openai', baseUrl, model: 'bge-m3' });

    await expect(embeddings.embedQuery('lương tháng 13')).resolves.toEqual(fakeVector('13'));
    expect(sent).toMatchObject({ model: 'bge-m3', input: 'lương tháng 13' });
  });

  it('splits large inputs into batches of 64 and keeps the order across batches', async () => {
    const batchSizes: number[] = [];
    nock('http://gateway.test')
      .post('/v1/embeddings')
      .times(2)
      .reply(200, (_uri, body) => {
        const inputs = inputsOf(asRecord(body));
        batchSizes.push(inputs.length);
        return openAiEmbeddingList('bge-m3', inputs);
      });
    const { embeddings } = createOpenAiEmbeddings({ provider: 'openai', baseUrl, model: 'bge-m3' });
    const texts = Array.from({ length: 70 }, (_, i) => `đoạn ${i}`);

    const vectors = await embeddings.embedDocuments(texts);

    expect(vectors).toEqual(texts.map(fakeVector));
    expect(batchSizes.sort((a, b) => a - b)).toEqual([6, 64]);
  });

  it('sends a placeholder key to a server that needs none', async () => {
    let authorization: unknown;
    nock('http://gateway.test')
      .post('/v1/embeddings')
      .reply(function (_uri, body) {
        authorization = this.req.headers.authorization;
        return [200, openAiEmbeddingList('bge-m3', inputsOf(asRecord(body)))];
      });
    const { embeddings } = createOpenAiEmbeddings({ provider: 'openai', baseUrl, model: 'bge-m3' });

    await embeddings.embedQuery('đoạn 1');
    expect(authorization).toBe('Bearer no-key');
  });

  it('uses OpenAI and text-embedding-3-small by default, and wants a key for it', async () => {
    nock('https://api.openai.com')
      .post('/v1/embeddings', (body: Record<string, unknown>) => body.model === 'text-embedding-3-small')
      .matchHeader('authorization', 'Bearer sk-real')
      .reply(200, openAiEmbeddingList('text-embedding-3-small', ['đoạn 4']));
    const { embeddings, id } = createOpenAiEmbeddings({ provider: 'openai', apiKey: 'sk-real' });

    expect(id).toBe('openai:text-embedding-3-small@api.openai.com');
    await expect(embeddings.embedQuery('đoạn 4')).resolves.toEqual(fakeVector('4'));
    expect(() => createOpenAiEmbeddings({ provider: 'openai' })).toThrow(/API key/);
  });

  it('retries after a server error', async () => {
    const scope = nock('http://gateway.test')
      .post('/v1/embeddings')
      .reply(500, { error: { message: 'upstream overloaded', type: 'server_error' } })
      .post('/v1/embeddings')
      .reply(200, (_uri, body) => openAiEmbeddingList('bge-m3', inputsOf(asRecord(body))));
    const { embeddings } = createOpenAiEmbeddings({ provider: 'openai', baseUrl, model: 'bge-m3' });

    await expect(embeddings.embedDocuments(['đoạn 1', 'đoạn 2'])).resolves.toEqual([
      fakeVector('1'),
      fakeVector('2'),
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it('surfaces an authentication error at once, without retrying', async () => {
    nock('http://gateway.test')
      .post('/v1/embeddings')
      .once()
      .reply(401, {
        error: {
          message: 'Incorrect API key provided',
          type: 'invalid_request_error',
          code: 'invalid_api_key',
        },
      });
    const { embeddings } = createOpenAiEmbeddings({ provider: 'openai', baseUrl, apiKey: 'sk-wrong' });

    // A second attempt would find no interceptor and fail with a nock error instead.
    await expect(embeddings.embedQuery('đoạn 1')).rejects.toThrow(/Incorrect API key/);
  });

  it('rejects a response with the wrong number of vectors', async () => {
    nock('http://gateway.test')
      .post('/v1/embeddings')
      .reply(200, openAiEmbeddingList('bge-m3', ['đoạn 1']));
    const { embeddings } = createOpenAiEmbeddings({ provider: 'openai', baseUrl, model: 'bge-m3' });

    await expect(embeddings.embedDocuments(['đoạn 1', 'đoạn 2'])).rejects.toThrow(/1 vectors for 2 texts/);
  });
});

describe('Ollama embeddings', () => {
  const baseUrl = 'http://ollama.test:11434';

  it('posts the model and texts to /api/embed and returns vectors in input order', async () => {
    const seen: Record<string, unknown>[] = [];
    const scope = nock(baseUrl)
      .post('/api/embed')
      .reply(200, (_uri, body) => {
        const parsed = asRecord(body);
        seen.push(parsed);
        return ollamaEmbedResponse('nomic-embed-text', inputsOf(parsed));
      });
    const { embeddings, id } = createOllamaEmbeddings({ provider: 'ollama', baseUrl });

    const vectors = await embeddings.embedDocuments(['đoạn 1', 'đoạn 2', 'đoạn 3']);

    expect(vectors).toEqual([fakeVector('1'), fakeVector('2'), fakeVector('3')]);
    expect(id).toBe('ollama:nomic-embed-text');
    expect(seen).toEqual([
      { model: 'nomic-embed-text', input: ['đoạn 1', 'đoạn 2', 'đoạn 3'], truncate: true },
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it('embeds a query', async () => {
    nock(baseUrl)
      .post('/api/embed', { model: 'bge-m3', input: ['nghỉ phép 12 ngày'], truncate: true })
      .reply(200, ollamaEmbedResponse('bge-m3', ['nghỉ phép 12 ngày']));
    const { embeddings, id } = createOllamaEmbeddings({ provider: 'ollama', baseUrl, model: 'bge-m3' });

    expect(id).toBe('ollama:bge-m3');
    await expect(embeddings.embedQuery('nghỉ phép 12 ngày')).resolves.toEqual(fakeVector('12'));
  });

  it('talks to 127.0.0.1:11434 by default', async () => {
    const scope = nock('http://127.0.0.1:11434')
      .post('/api/embed')
      .reply(200, ollamaEmbedResponse('nomic-embed-text', ['đoạn 5']));
    const { embeddings } = createOllamaEmbeddings({ provider: 'ollama' });

    await expect(embeddings.embedQuery('đoạn 5')).resolves.toEqual(fakeVector('5'));
    expect(scope.isDone()).toBe(true);
  });

  it('splits large inputs into batches of 64', async () => {
    const batchSizes: number[] = [];
    nock(baseUrl)
      .post('/api/embed')
      .times(2)
      .reply(200, (_uri, body) => {
        const inputs = inputsOf(asRecord(body));
        batchSizes.push(inputs.length);
        return ollamaEmbedResponse('nomic-embed-text', inputs);
      });
    const { embeddings } = createOllamaEmbeddings({ provider: 'ollama', baseUrl });
    const texts = Array.from({ length: 70 }, (_, i) => `đoạn ${i}`);

    await expect(embeddings.embedDocuments(texts)).resolves.toEqual(texts.map(fakeVector));
    expect(batchSizes).toEqual([64, 6]);
  });

  it('retries after a server error', async () => {
    const scope = nock(baseUrl)
      .post('/api/embed')
      .reply(500, { error: 'llama runner process has terminated' })
      .post('/api/embed')
      .reply(200, ollamaEmbedResponse('nomic-embed-text', ['đoạn 1']));
    const { embeddings } = createOllamaEmbeddings({ provider: 'ollama', baseUrl });

    await expect(embeddings.embedQuery('đoạn 1')).resolves.toEqual(fakeVector('1'));
    expect(scope.isDone()).toBe(true);
  });

  it('surfaces a missing model at once, without retrying', async () => {
    nock(baseUrl)
      .post('/api/embed')
      .once()
      .reply(404, { error: 'model "bge-m3" not found, try pulling it first' });
    const { embeddings } = createOllamaEmbeddings({ provider: 'ollama', baseUrl, model: 'bge-m3' });

    const started = Date.now();
    await expect(embeddings.embedQuery('đoạn 1')).rejects.toThrow(/not found, try pulling it first/);
    // A retry would first wait LangChain's back-off (at least a second).
    expect(Date.now() - started).toBeLessThan(900);
  });
});
