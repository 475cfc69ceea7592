import { z } from 'zod';
import { HttpError } from '../api/errors.js';
import { route, type RouteDef } from '../api/route.js';
import { passwordProblem } from '../auth/passwords.js';
import { newUserSchema, publicUser, type NewUser } from '../auth/users.js';
import { ROLES, type Role } from '../roles.js';
import type { AdminServices } from '../services.js';
import { userSchema } from './auth.js';

const idParams = z.object({ id: z.string().min(1).max(100) });

const userChangeSchema = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    role: z.enum(ROLES).optional(),
    password: z
      .string()
      .superRefine((p, ctx) => {
        const problem = passwordProblem(p);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    disabled: z.boolean().optional(),
  })
  .strict();
type UserChange = z.infer<typeof userChangeSchema>;

const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.object({ id: z.string(), username: z.string(), via: z.enum(['session', 'token', 'cli']) }),
  action: z.string(),
  target: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export function userRoutes(s: AdminServices): RouteDef[] {
  const load = async (id: string) => {
    const user = await s.users.get(id);
    if (!user) throw new HttpError(404, 'not_found', 'Không tìm thấy người dùng');
    return user;
  };
  return [
    route({
      method: 'get',
      path: '/users',
      tag: 'users',
      summary: 'Danh sách người dùng bảng điều khiển',
      role: 'admin',
      response: z.object({ items: z.array(userSchema) }),
      async handler() {
        return { items: (await s.users.list()).map(publicUser) };
      },
    }),
    route<Record<string, never>, Record<string, never>, NewUser>({
      method: 'post',
      path: '/users',
      tag: 'users',
      summary: 'Tạo người dùng',
      role: 'admin',
      status: 201,
      body: newUserSchema,
      response: userSchema,
      audit: { action: 'user.create', target: (_c, r) => (r as { id: string }).id },
      async handler({ body, note }) {
        note({ username: body.username, role: body.role });
        return publicUser(await s.users.create(body));
      },
    }),
    route<{ id: string }, Record<string, never>, UserChange>({
      method: 'patch',
      path: '/users/:id',
      tag: 'users',
      summary: 'Sửa họ tên, vai trò, mật khẩu hoặc khóa người dùng',
      role: 'admin',
      params: idParams,
      body: userChangeSchema,
      response: userSchema,
      audit: { action: 'user.update' },
      async handler({ params, body, note }) {
        const before = await load(params.id);
        note({
          ...(body.name !== undefined && { name: body.name }),
          ...(body.role !== undefined && { role: { from: before.role, to: body.role } }),
          ...(body.disabled !== undefined && { disabled: body.disabled }),
          ...(body.password !== undefined && { password: 'changed' }),
        });
        const user = await s.users.update(params.id, body as { role?: Role });
        if (body.disabled) await s.tokens.revokeAll(params.id);
        return publicUser(user);
      },
    }),
    route<{ id: string }>({
      method: 'delete',
      path: '/users/:id',
      tag: 'users',
      summary: 'Xóa người dùng (và thu hồi mã API của họ)',
      role: 'admin',
      params: idParams,
      status: 204,
      audit: { action: 'user.delete' },
      async handler({ params, principal, note }) {
        if (params.id === principal.user.id)
          throw new HttpError(409, 'self', 'Không thể tự xóa tài khoản đang đăng nhập');
        const user = await load(params.id);
        note({ username: user.username });
        await s.tokens.revokeAll(params.id);
        await s.users.delete(params.id);
        return undefined;
      },
    }),
    route<Record<string, never>, { limit: number; before?: string; action?: string }>({
      method: 'get',
      path: '/audit',
      tag: 'users',
      summary: 'Nhật ký thay đổi (ai, làm gì, lúc nào), mới nhất trước',
      role: 'admin',
      query: z.object({
        limit: z.coerce.number().int().min(1).max(1000).default(100),
        before: z
          .string()
          .regex(/^\d+-\d+$/)
          .optional(),
        action: z.string().max(100).optional(),
      }),
      response: z.object({ items: z.array(auditEntrySchema) }),
      async handler({ query }) {
        return { items: await s.audit.list(query) };
      },
    }),
  ];
}
