import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Config } from '../../platform/config.js';

/**
 * A saved Zalo Web session: the cookies, the device id ("imei") the session was opened with, and the
 * browser user agent. Whoever holds it can act as the account, so it is kept like a password.
 */
export interface ZaloPersonalCredentials {
  cookie: CookieRecord[] | { url: string; cookies: CookieRecord[] };
  imei: string;
  userAgent: string;
}

/** One cookie as browser extensions and tough-cookie serialise it; only the value is required by us. */
export type CookieRecord = { value: string } & Record<string, unknown>;

const cookieRecord = z.looseObject({ value: z.string() });
const cookieSchema = z.union([
  z.array(cookieRecord).min(1),
  z.looseObject({ url: z.string(), cookies: z.array(cookieRecord).min(1) }),
]);

export const credentialsSchema = z.object({
  cookie: cookieSchema,
  imei: z.string().trim().min(1),
  userAgent: z.string().trim().min(1),
});

export class CredentialsError extends Error {
  override name = 'CredentialsError';
}

type CredentialSettings = Pick<
  Config,
  | 'ZALO_PERSONAL_CREDENTIALS_FILE'
  | 'ZALO_PERSONAL_COOKIE'
  | 'ZALO_PERSONAL_IMEI'
  | 'ZALO_PERSONAL_USER_AGENT'
>;

const HOW_TO_FIX =
  'Chạy `npm run zalo:login` để quét mã QR và lưu phiên đăng nhập, hoặc đặt ZALO_PERSONAL_COOKIE (JSON), ' +
  'ZALO_PERSONAL_IMEI và ZALO_PERSONAL_USER_AGENT.';

/**
 * Reads the session: each field from its environment variable when set (a deployment can inject secrets
 * without a file), otherwise from the JSON file `npm run zalo:login` wrote. Throws {@link CredentialsError}
 * naming what is missing and how to get it.
 */
export async function loadCredentials(
  settings: CredentialSettings,
  cwd = process.cwd(),
): Promise<ZaloPersonalCredentials> {
  const fromEnv: Record<string, unknown> = {};
  if (settings.ZALO_PERSONAL_COOKIE)
    fromEnv.cookie = parseJson(settings.ZALO_PERSONAL_COOKIE, 'ZALO_PERSONAL_COOKIE');
  if (settings.ZALO_PERSONAL_IMEI) fromEnv.imei = settings.ZALO_PERSONAL_IMEI;
  if (settings.ZALO_PERSONAL_USER_AGENT?.trim()) fromEnv.userAgent = settings.ZALO_PERSONAL_USER_AGENT.trim();

  const file = path.resolve(cwd, settings.ZALO_PERSONAL_CREDENTIALS_FILE);
  const complete = 'cookie' in fromEnv && 'imei' in fromEnv && 'userAgent' in fromEnv;
  const fromFile = complete ? {} : await readCredentialsFile(file);

  const result = credentialsSchema.safeParse({ ...fromFile, ...fromEnv });
  if (!result.success) {
    const fields = [...new Set(result.error.issues.map((i) => String(i.path[0] ?? 'file')))];
    throw new CredentialsError(
      `Thiếu hoặc sai thông tin đăng nhập Zalo cá nhân (${fields.join(', ')}; tệp ${file}). ${HOW_TO_FIX}`,
    );
  }
  return result.data as ZaloPersonalCredentials;
}

async function readCredentialsFile(file: string): Promise<Record<string, unknown>> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new CredentialsError(`Không đọc được tệp đăng nhập Zalo ${file}: ${(err as Error).message}`);
  }
  const parsed = parseJson(raw, file);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CredentialsError(`Tệp đăng nhập Zalo ${file} phải là một đối tượng JSON. ${HOW_TO_FIX}`);
  }
  return parsed as Record<string, unknown>;
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CredentialsError(`${source} không phải JSON hợp lệ. ${HOW_TO_FIX}`);
  }
}

/** Writes the session readable by its owner only (0600), creating the folder (0700) when needed. */
export async function saveCredentials(file: string, credentials: ZaloPersonalCredentials): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  // `mode` applies only when the file is created; an older file may have been readable by others.
  await chmod(file, 0o600);
}
