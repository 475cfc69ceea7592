import { chunkArray } from '@langchain/core/utils/chunk_array';
import { OllamaEmbeddings } from '@langchain/ollama';
import { OpenAIEmbeddings } from '@langchain/openai';
import type { EmbeddingsChoice, EmbeddingsSettings } from './types.js';

export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_OPENAI_EMBEDDINGS_MODEL = 'text-embedding-3-small';
export const DEFAULT_OLLAMA_BASE_URL = 'http://127.0.0.1:11434';
export const DEFAULT_OLLAMA_EMBEDDINGS_MODEL = 'nomic-embed-text';

/** Texts per request: small enough for a CPU-bound local server, large enough to index a corpus quickly. */
export const EMBEDDINGS_BATCH_SIZE = 64;
/** Retries after the first attempt, with LangChain's exponential back-off (about 1-2 s, then 2-4 s, ...). */
const MAX_RETRIES = 3;
/** Ollama's client has no timeout of its own; a hung server would otherwise stall indexing forever. */
const OLLAMA_REQUEST_TIMEOUT_MS = 120_000;
/**
 * Self-hosted OpenAI-compatible servers (vLLM, LM Studio, a gateway) often need no key, but the OpenAI
 * client refuses to start without one. Passing it explicitly also keeps LangChain from falling back to
 * OPENAI_API_KEY from the environment and sending that key to a third-party server.
 */
const PLACEHOLDER_API_KEY = 'no-key';

/**
 * LangChain reads `data[j]` by position, but the API gives each vector an `index` and does not promise
 * the order; gateways that fan a batch out may return it shuffled. Sorting keeps vectors with their texts.
 */
class OrderedOpenAIEmbeddings extends OpenAIEmbeddings {
  // An indexed access type reaches the protected signature; `openai` itself is not our direct dependency.
  protected override async embeddingWithRetry(request: Parameters<OpenAIEmbeddings['embeddingWithRetry']>[0]) {
    const response = await super.embeddingWithRetry(request);
    // We only ever send text: one string (a query) or a list of strings (a batch).
    const expected = typeof request.input === 'string' ? 1 : request.input.length;
    if (response.data.length !== expected) {
      throw new Error(`Embeddings endpoint returned ${response.data.length} vectors for ${expected} texts`);
    }
    return { ...response, data: [...response.data].sort((a, b) => a.index - b.index) };
  }
}

export function createOpenAiEmbeddings(settings: EmbeddingsSettings): EmbeddingsChoice {
  const baseURL = settings.baseUrl ?? DEFAULT_OPENAI_BASE_URL;
  const model = settings.model ?? DEFAULT_OPENAI_EMBEDDINGS_MODEL;
  const host = new URL(baseURL).host;
  if (!settings.apiKey && host === new URL(DEFAULT_OPENAI_BASE_URL).host) {
    throw new Error(`Embeddings via ${baseURL} need an API key (EMBEDDINGS_API_KEY)`);
  }
  const embeddings = new OrderedOpenAIEmbeddings({
    model,
    apiKey: settings.apiKey ?? PLACEHOLDER_API_KEY,
    configuration: { baseURL },
    batchSize: EMBEDDINGS_BATCH_SIZE,
    maxRetries: MAX_RETRIES,
    // The OpenAI SDK otherwise asks for base64 and decodes it; a compatible server that ignores
    // `encoding_format` answers with plain arrays, which that decoding turns into garbage vectors.
    encodingFormat: 'float',
  });
  return { embeddings, id: `openai:${model}@${host}` };
}

/** LangChain's Ollama class sends every text in one request; a whole corpus is too much for one call. */
class BatchedOllamaEmbeddings extends OllamaEmbeddings {
  override async embedDocuments(texts: string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    for (const batch of chunkArray(texts, EMBEDDINGS_BATCH_SIZE)) {
      const got = await super.embedDocuments(batch);
      if (got.length !== batch.length) {
        throw new Error(`Ollama returned ${got.length} vectors for ${batch.length} texts`);
      }
      vectors.push(...got);
    }
    return vectors;
  }
}

/**
 * Ollama's errors carry `status_code`, which LangChain's default retry policy does not read, so a 404
 * ("model not found, try pulling it first") would be retried with back-off for a long while. Client errors
 * are final; server errors, timeouts and network failures are retried.
 */
function stopOnClientError(error: unknown): void {
  if (typeof error !== 'object' || error === null || !('status_code' in error)) return;
  const status = error.status_code;
  if (typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429) {
    throw error;
  }
}

/**
 * The `ollama` client captures `fetch` when it is constructed; looking it up per call keeps later
 * instrumentation (and test interception) effective, and adds the timeout the client lacks.
 */
const fetchWithTimeout: typeof fetch = (input, init) => {
  const timeout = AbortSignal.timeout(OLLAMA_REQUEST_TIMEOUT_MS);
  const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
  return globalThis.fetch(input, { ...init, signal });
};

export function createOllamaEmbeddings(settings: EmbeddingsSettings): EmbeddingsChoice {
  const model = settings.model ?? DEFAULT_OLLAMA_EMBEDDINGS_MODEL;
  const embeddings = new BatchedOllamaEmbeddings({
    model,
    baseUrl: settings.baseUrl ?? DEFAULT_OLLAMA_BASE_URL,
    // LangChain sets false, so one over-long clause fails its whole batch; Ollama's own default is true.
    truncate: true,
    maxRetries: MAX_RETRIES,
    onFailedAttempt: stopOnClientError,
    fetch: fetchWithTimeout,
  });
  return { embeddings, id: `ollama:${model}` };
}
