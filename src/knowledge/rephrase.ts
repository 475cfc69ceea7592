import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { ChatOllama } from '@langchain/ollama';
import { ChatOpenAI } from '@langchain/openai';
import { nfc } from './normalize.js';

export interface RephraseInput {
  question: string;
  answer: string;
  passages: string[];
}

export interface Rephraser {
  readonly id: string;
  rephrase(input: RephraseInput, signal?: AbortSignal): Promise<string>;
}

export interface RephraseSettings {
  provider: 'none' | 'openai' | 'ollama';
  model?: string;
  baseUrl?: string;
  apiKey?: string;
  timeoutMs: number;
}

export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_OPENAI_CHAT_MODEL = 'gpt-4o-mini';
export const DEFAULT_OLLAMA_BASE_URL = 'http://127.0.0.1:11434';
export const DEFAULT_OLLAMA_CHAT_MODEL = 'qwen2.5:7b';

/** A rephrased answer is a short paragraph; the cap stops a runaway model early (and cheaply). */
const MAX_OUTPUT_TOKENS = 1024;
/** Servers that need no key still need one for the OpenAI client; explicit also avoids OPENAI_API_KEY. */
const PLACEHOLDER_API_KEY = 'no-key';

const SYSTEM_PROMPT = [
  'Bạn là trợ lý của công đoàn, giúp công nhân nhà máy hiểu quyền lợi của mình theo pháp luật lao động.',
  'Hãy viết lại câu trả lời được cung cấp cho một công nhân: ngắn gọn, thân thiện, dễ hiểu, bằng tiếng Việt có đầy đủ dấu.',
  'Quy tắc bắt buộc:',
  '- Chỉ dùng thông tin có trong các đoạn trích được cung cấp. Không thêm thông tin, lời khuyên hay suy đoán nào khác.',
  '- Giữ nguyên chính xác mọi con số (số tiền, số ngày, số giờ, tỷ lệ phần trăm, số điều, số khoản), viết bằng chữ số như trong văn bản gốc.',
  '- Không ghi trích dẫn, tên văn bản hay nguồn: hệ thống sẽ tự thêm dòng trích dẫn.',
  '- Nếu các đoạn trích không đủ để viết lại, hãy giữ nguyên câu trả lời gốc.',
  'Chỉ trả về câu trả lời đã viết lại, không chào hỏi, không giải thích thêm.',
].join('\n');

const HUMAN_PROMPT = [
  'Câu hỏi của công nhân:',
  '{question}',
  '',
  'Câu trả lời gốc:',
  '{answer}',
  '',
  'Các đoạn trích (nguồn duy nhất được dùng):',
  '{passages}',
].join('\n');

// Law text goes in as variable values, never as template text, so its braces cannot break the template.
const prompt = ChatPromptTemplate.fromMessages([
  ['system', SYSTEM_PROMPT],
  ['human', HUMAN_PROMPT],
]);

function promptValues(input: RephraseInput) {
  return {
    question: input.question,
    answer: input.answer,
    passages: input.passages.map((passage, i) => `[${i + 1}] ${passage}`).join('\n\n'),
  };
}

async function runChain(model: BaseChatModel, input: RephraseInput, signal?: AbortSignal): Promise<string> {
  const chain = prompt.pipe(model).pipe(new StringOutputParser());
  return chain.invoke(promptValues(input), { signal });
}

function createOpenAiRephraser(settings: RephraseSettings): Rephraser {
  const baseURL = settings.baseUrl ?? DEFAULT_OPENAI_BASE_URL;
  const model = settings.model ?? DEFAULT_OPENAI_CHAT_MODEL;
  const chat = new ChatOpenAI({
    model,
    temperature: 0,
    maxTokens: MAX_OUTPUT_TOKENS,
    apiKey: settings.apiKey ?? PLACEHOLDER_API_KEY,
    configuration: { baseURL },
    timeout: settings.timeoutMs,
    // The extractive answer is already in hand: retrying with back-off only delays the reply.
    maxRetries: 0,
  });
  return {
    id: `openai:${model}@${new URL(baseURL).host}`,
    // ChatOpenAI hands the signal to the HTTP request, so a timeout really cancels it.
    rephrase: (input, signal) => runChain(chat, input, signal),
  };
}

/** A fetch bound to one call's signal: ChatOllama checks the signal only between streamed chunks. */
function fetchAbortedBy(signal: AbortSignal | undefined): typeof fetch {
  return (url, init) =>
    globalThis.fetch(url, {
      ...init,
      signal: signal && init?.signal ? AbortSignal.any([signal, init.signal]) : (signal ?? init?.signal),
    });
}

function createOllamaRephraser(settings: RephraseSettings): Rephraser {
  const baseUrl = settings.baseUrl ?? DEFAULT_OLLAMA_BASE_URL;
  const model = settings.model ?? DEFAULT_OLLAMA_CHAT_MODEL;
  return {
    id: `ollama:${model}`,
    // A model per call is cheap (no connection is made) and lets each call's signal cancel its own request.
    rephrase: (input, signal) => {
      const chat = new ChatOllama({
        model,
        baseUrl,
        temperature: 0,
        numPredict: MAX_OUTPUT_TOKENS,
        fetch: fetchAbortedBy(signal),
      });
      return runChain(chat, input, signal);
    },
  };
}

export function createRephraser(settings: RephraseSettings): Rephraser | undefined {
  switch (settings.provider) {
    case 'none':
      return undefined;
    case 'openai':
      return createOpenAiRephraser(settings);
    case 'ollama':
      return createOllamaRephraser(settings);
  }
}

// Digits with Vietnamese separators: "12", "1.500.000", "1,5"; a "%" after "50" is not part of it.
const NUMBER = /\d+(?:[.,]\d+)*/g;

/** One form per number, so "1.500.000" matches "1500000" and "05" matches "5", but "1,5" stays 1,5. */
function canonicalNumber(token: string): string {
  const withoutThousands = /^\d{1,3}(?:\.\d{3})+$/.test(token) ? token.replace(/\./g, '') : token;
  return withoutThousands.replace(/^0+(?=\d)/, '');
}

function numbersIn(text: string): string[] {
  return (text.match(NUMBER) ?? []).map(canonicalNumber);
}

/** Safety check: every number in the output must come from the answer or the passages; no empty or bloated output. */
export function checkRephrase(output: string, input: RephraseInput): { ok: true } | { ok: false; reason: string } {
  const text = output.trim();
  if (!text) return { ok: false, reason: 'empty output' };
  const limit = 2 * input.answer.length + 200;
  if (text.length > limit) {
    return { ok: false, reason: `output too long (${text.length} chars, limit ${limit})` };
  }
  const known = new Set(numbersIn([input.answer, ...input.passages].join('\n')));
  const invented = [...new Set(text.match(NUMBER) ?? [])].filter((token) => !known.has(canonicalNumber(token)));
  if (invented.length > 0) {
    return { ok: false, reason: `numbers not in the sources: ${invented.join(', ')}` };
  }
  return { ok: true };
}

class RephraseTimeout extends Error {
  constructor(timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
    this.name = 'RephraseTimeout';
  }
}

/** Returns the rephrased text, or the original answer (rephrased: false, with a reason) on timeout, error, empty output, or when the output fails the safety checks. */
export async function rephraseSafely(
  rephraser: Rephraser | undefined,
  input: RephraseInput,
  timeoutMs: number,
): Promise<{ text: string; rephrased: boolean; reason?: string }> {
  const original = (reason: string) => ({ text: input.answer, rephrased: false, reason });
  if (!rephraser) return original('rephrasing disabled');

  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  // Our own deadline, raced against the call: it holds whatever a library does (or fails to do) with the signal.
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const timeout = new RephraseTimeout(timeoutMs);
      controller.abort(timeout);
      reject(timeout);
    }, timeoutMs);
  });
  try {
    const output = nfc(await Promise.race([rephraser.rephrase(input, controller.signal), deadline])).trim();
    const check = checkRephrase(output, input);
    return check.ok ? { text: output, rephrased: true } : original(check.reason);
  } catch (error) {
    if (error instanceof RephraseTimeout) return original(error.message);
    return original(`${rephraser.id} failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    clearTimeout(timer);
  }
}
