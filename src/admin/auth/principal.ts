import { parse as parseCookie, serialize as serializeCookie } from 'cookie';
import type { Request, Response } from 'express';
import type { AdminSession, AdminSessionStore } from './sessions.js';
import type { ApiTokenStore } from './tokens.js';
import type { StoredUser, UserStore } from './users.js';

export const SESSION_COOKIE = 'ua_admin';

/** The person behind a request: a console session (cookie) or an API token. */
export interface Principal {
  user: StoredUser;
  via: 'session' | 'token';
  session?: AdminSession;
  sessionSecret?: string;
}

export interface PrincipalDeps {
  users: UserStore;
  sessions: AdminSessionStore;
  tokens: ApiTokenStore;
}

/** Finds the principal of a request; undefined when it carries no valid, current credentials. */
export async function principalOf(req: Request, deps: PrincipalDeps): Promise<Principal | undefined> {
  const auth = req.get('authorization');
  if (auth) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    const token = m ? await deps.tokens.verify(m[1]!) : undefined;
    const user = token ? await deps.users.get(token.userId) : undefined;
    return user && !user.disabled ? { user, via: 'token' } : undefined;
  }
  const secret = parseCookie(req.get('cookie') ?? '')[SESSION_COOKIE];
  if (!secret) return undefined;
  const session = await deps.sessions.get(secret);
  if (!session) return undefined;
  const user = await deps.users.get(session.userId);
  if (!user || user.disabled || session.createdAt < user.sessionsValidAfter) return undefined;
  return { user, via: 'session', session, sessionSecret: secret };
}

/** HttpOnly (no script reads it), SameSite=Strict (no other site sends it), Secure whenever served over TLS. */
export function setSessionCookie(req: Request, res: Response, secret: string, maxAgeSeconds: number): void {
  res.append(
    'Set-Cookie',
    serializeCookie(SESSION_COOKIE, secret, {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: '/admin',
      maxAge: maxAgeSeconds,
    }),
  );
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.append(
    'Set-Cookie',
    serializeCookie(SESSION_COOKIE, '', {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: '/admin',
      maxAge: 0,
    }),
  );
}
