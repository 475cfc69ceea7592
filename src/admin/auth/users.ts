import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { ROLES, type Role } from '../roles.js';
import { hashPassword, passwordProblem } from './passwords.js';

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{3,40}$/, 'tên đăng nhập 3–40 ký tự: chữ không dấu, số, . _ -');

export const newUserSchema = z
  .object({
    username: usernameSchema,
    name: z.string().trim().min(1, 'cần họ tên').max(100),
    role: z.enum(ROLES),
    password: z.string().superRefine((p, ctx) => {
      const problem = passwordProblem(p);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  })
  .strict();
export type NewUser = z.infer<typeof newUserSchema>;

export interface StoredUser {
  id: string;
  username: string;
  name: string;
  role: Role;
  disabled: boolean;
  passwordHash: string;
  createdAt: string;
  lastLoginAt?: string;
  /** Sessions started before this moment are no longer valid (password changed, user disabled). */
  sessionsValidAfter: string;
}

/** What leaves the server: never the hash. */
export type User = Omit<StoredUser, 'passwordHash' | 'sessionsValidAfter'>;

export function publicUser(user: StoredUser): User {
  const { passwordHash: _h, sessionsValidAfter: _s, ...rest } = user;
  return rest;
}

export class UserError extends Error {
  override name = 'UserError';
  constructor(
    readonly code: 'exists' | 'not_found' | 'last_admin',
    message: string,
  ) {
    super(message);
  }
}

/** Console users in Redis: one JSON record per user and a username → id index. */
export class UserStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private key(id: string): string {
    return `${this.keyPrefix}admin:user:${id}`;
  }
  private get byNameKey(): string {
    return `${this.keyPrefix}admin:users:by-name`;
  }

  async create(input: NewUser): Promise<StoredUser> {
    const at = this.now().toISOString();
    const user: StoredUser = {
      id: randomBytes(6).toString('hex'),
      username: input.username,
      name: input.name,
      role: input.role,
      disabled: false,
      passwordHash: await hashPassword(input.password),
      createdAt: at,
      sessionsValidAfter: at,
    };
    const claimed = await this.redis.hsetnx(this.byNameKey, user.username, user.id);
    if (!claimed) throw new UserError('exists', `Tên đăng nhập "${user.username}" đã có người dùng`);
    await this.redis.set(this.key(user.id), JSON.stringify(user));
    return user;
  }

  async get(id: string): Promise<StoredUser | undefined> {
    const raw = await this.redis.get(this.key(id));
    return raw ? (JSON.parse(raw) as StoredUser) : undefined;
  }

  async byUsername(username: string): Promise<StoredUser | undefined> {
    const id = await this.redis.hget(this.byNameKey, username.trim().toLowerCase());
    return id ? this.get(id) : undefined;
  }

  async list(): Promise<StoredUser[]> {
    const ids = await this.redis.hvals(this.byNameKey);
    const users = await Promise.all(ids.map((id) => this.get(id)));
    return users
      .filter((u): u is StoredUser => u !== undefined)
      .sort((a, b) => a.username.localeCompare(b.username));
  }

  async count(): Promise<number> {
    return this.redis.hlen(this.byNameKey);
  }

  async update(
    id: string,
    change: { name?: string; role?: Role; password?: string; disabled?: boolean; lastLoginAt?: string },
  ): Promise<StoredUser> {
    const user = await this.get(id);
    if (!user) throw new UserError('not_found', 'Không tìm thấy người dùng');
    const demotes = (change.role && change.role !== 'admin') || change.disabled === true;
    if (user.role === 'admin' && !user.disabled && demotes) await this.keepOneAdmin(id);
    const next: StoredUser = {
      ...user,
      ...(change.name !== undefined && { name: change.name }),
      ...(change.role !== undefined && { role: change.role }),
      ...(change.disabled !== undefined && { disabled: change.disabled }),
      ...(change.lastLoginAt !== undefined && { lastLoginAt: change.lastLoginAt }),
    };
    if (change.password !== undefined) next.passwordHash = await hashPassword(change.password);
    // A new password or a disabled account ends every session already open with the old state.
    if (
      change.password !== undefined ||
      change.disabled === true ||
      (change.role && change.role !== user.role)
    )
      next.sessionsValidAfter = this.now().toISOString();
    await this.redis.set(this.key(id), JSON.stringify(next));
    return next;
  }

  async delete(id: string): Promise<void> {
    const user = await this.get(id);
    if (!user) throw new UserError('not_found', 'Không tìm thấy người dùng');
    if (user.role === 'admin' && !user.disabled) await this.keepOneAdmin(id);
    await this.redis.multi().del(this.key(id)).hdel(this.byNameKey, user.username).exec();
  }

  /** Nobody could manage users any more if the last active admin went away. */
  private async keepOneAdmin(leaving: string): Promise<void> {
    const others = (await this.list()).filter((u) => u.id !== leaving && u.role === 'admin' && !u.disabled);
    if (others.length === 0)
      throw new UserError('last_admin', 'Không thể bỏ quyền hoặc xóa quản trị viên cuối cùng');
  }
}
