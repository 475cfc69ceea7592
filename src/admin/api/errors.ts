import { z } from 'zod';

/** An error that reaches the officer as-is: an HTTP status, a stable code and a Vietnamese message. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { issues?: { path: string; message: string }[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
  }
}

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

export function invalidInput(error: z.ZodError, where: string): HttpError {
  const issues = error.issues.map((i) => ({ path: [where, ...i.path].join('.'), message: i.message }));
  return new HttpError(
    400,
    'invalid_input',
    `Dữ liệu không hợp lệ: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    { issues },
  );
}

export const notFound = (what: string) => new HttpError(404, 'not_found', `Không tìm thấy ${what}`);
export const conflict = (message: string, code = 'conflict') => new HttpError(409, code, message);
