import { z } from 'zod';
import { HttpError } from '../api/errors.js';
import { route, type RouteDef } from '../api/route.js';
import { clearSessionCookie, setSessionCookie } from '../auth/principal.js';
import { dummyHash, verifyPassword } from '../auth/passwords.js';
import { publicUser } from '../auth/users.js';
import { ROLES } from '../roles.js';
import type { AdminServices } from '../services.js';

export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  disabled: z.boolean(),
  createdAt: z.string(),
  lastLoginAt: z.string().optional(),
});

const sessionSchema = z.object({ user: userSchema, csrfToken: z.string() });
const tokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().optional(),
});
const idParams = z.object({ id: z.string().min(1).max(100) });

const INVALID_LOGIN = 'Sai tên đăng nhập hoặc mật khẩu';

export function authRoutes(s: AdminServices): RouteDef[] {
  return [
    route<Record<string, never>, Record<string, never>, { username: string; password: string }>({
      method: 'post',
      path: '/auth/login',
      tag: 'auth',
      summary: 'Đăng nhập bằng tên và mật khẩu; đặt cookie phiên và trả mã CSRF',
      role: 'public',
      body: z.object({
        username: z.string().trim().toLowerCase().min(1).max(100),
        password: z.string().min(1).max(200),
      }),
      response: sessionSchema,
      // Recorded by the handler: the actor is known only once the password checks out.
      audit: false,
      async handler({ req, res, body }) {
        const verdict = await s.loginGuard.check(body.username, req.ip ?? 'unknown');
        if (!verdict.allowed)
          throw new HttpError(
            429,
            'too_many_attempts',
            `Đăng nhập sai quá nhiều lần; thử lại sau ${Math.ceil(verdict.retryAfterSeconds / 60)} phút`,
            {
              headers: { 'Retry-After': String(verdict.retryAfterSeconds) },
            },
          );
        const user = await s.users.byUsername(body.username);
        // The same work for unknown users, so timing does not tell which usernames exist.
        const ok = await verifyPassword(body.password, user?.passwordHash ?? (await dummyHash()));
        if (!user || !ok || user.disabled) {
          await s.loginGuard.failed(body.username);
          throw new HttpError(401, 'invalid_login', INVALID_LOGIN);
        }
        await s.loginGuard.succeeded(body.username);
        const updated = await s.users.update(user.id, { lastLoginAt: s.now().toISOString() });
        const { secret, session } = await s.sessions.create(user.id);
        setSessionCookie(req, res, secret, s.config.ADMIN_SESSION_MAX_SECONDS);
        await s.audit.record({
          actor: { id: user.id, username: user.username, via: 'session' },
          action: 'auth.login',
        });
        return { user: publicUser(updated), csrfToken: session.csrfToken };
      },
    }),
    route({
      method: 'post',
      path: '/auth/logout',
      tag: 'auth',
      summary: 'Đăng xuất (kết thúc phiên)',
      role: 'viewer',
      status: 204,
      audit: { action: 'auth.logout' },
      async handler({ req, res, principal }) {
        if (principal.sessionSecret) await s.sessions.destroy(principal.sessionSecret);
        clearSessionCookie(req, res);
        return undefined;
      },
    }),
    route({
      method: 'get',
      path: '/auth/me',
      tag: 'auth',
      summary: 'Người đang đăng nhập và mã CSRF của phiên',
      role: 'viewer',
      response: sessionSchema.extend({ csrfToken: z.string().optional() }),
      async handler({ principal }) {
        return { user: publicUser(principal.user), csrfToken: principal.session?.csrfToken };
      },
    }),
    route({
      method: 'get',
      path: '/tokens',
      tag: 'auth',
      summary: 'Mã API của tôi',
      role: 'viewer',
      response: z.object({ items: z.array(tokenSchema) }),
      async handler({ principal }) {
        return { items: (await s.tokens.list(principal.user.id)).map(({ userId: _u, ...t }) => t) };
      },
    }),
    route<Record<string, never>, Record<string, never>, { name: string }>({
      method: 'post',
      path: '/tokens',
      tag: 'auth',
      summary: 'Tạo mã API (chỉ hiện một lần) cho việc tự động hóa',
      role: 'viewer',
      status: 201,
      body: z.object({ name: z.string().trim().min(1).max(100) }).strict(),
      response: z.object({ id: z.string(), name: z.string(), token: z.string() }),
      audit: { action: 'token.create', target: (_c, r) => (r as { id: string }).id },
      async handler({ principal, body }) {
        const { token, record } = await s.tokens.create(principal.user.id, body.name);
        return { id: record.id, name: record.name, token };
      },
    }),
    route<{ id: string }>({
      method: 'delete',
      path: '/tokens/:id',
      tag: 'auth',
      summary: 'Thu hồi một mã API của tôi',
      role: 'viewer',
      params: idParams,
      status: 204,
      audit: { action: 'token.revoke' },
      async handler({ principal, params }) {
        if (!(await s.tokens.revoke(principal.user.id, params.id)))
          throw new HttpError(404, 'not_found', 'Không tìm thấy mã API này');
        return undefined;
      },
    }),
  ];
}
