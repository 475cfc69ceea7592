import { cp, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { App } from '../../src/app.js';
import type { Role } from '../../src/admin/roles.js';
import { FIXTURES } from './app.js';

export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** Talks to the admin API as one person: by console session (cookie + CSRF) or by API token. */
export class AdminClient {
  cookie?: string;
  csrf?: string;
  token?: string;

  constructor(readonly base: string) {}

  async call<T = Record<string, unknown>>(
    method: string,
    apiPath: string,
    body?: unknown,
    options: { headers?: Record<string, string>; contentType?: string; csrf?: boolean } = {},
  ): Promise<ApiAnswer<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (this.csrf && options.csrf !== false && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    let payload: string | undefined;
    if (body !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/json';
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const res = await fetch(`${this.base}/admin/api${apiPath}`, {
      method,
      headers,
      body: payload,
      redirect: 'manual',
    });
    const text = await res.text();
    let parsed: unknown = text;
    if (res.headers.get('content-type')?.includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  async login(username: string, password: string): Promise<ApiAnswer<{ csrfToken: string }>> {
    const answer = await this.call<{ csrfToken: string }>('POST', '/auth/login', { username, password });
    if (answer.status === 200) {
      this.cookie = answer.headers.get('set-cookie')!.split(';')[0];
      this.csrf = answer.body.csrfToken;
    }
    return answer;
  }
}

export const PASSWORD = 'mat-khau-thu-nghiem-1';

/** One user per role, created straight in the store (as `npm run admin:create` does). */
export async function createRoleUsers(app: App): Promise<Record<Role, { id: string; username: string }>> {
  const users = app.admin!.services.users;
  const out = {} as Record<Role, { id: string; username: string }>;
  for (const role of ['admin', 'officer', 'viewer'] as const) {
    const user = await users.create({
      username: `${role}1`,
      name: `Cán bộ ${role}`,
      role,
      password: PASSWORD,
    });
    out[role] = { id: user.id, username: user.username };
  }
  return out;
}

/** A writable copy of the fixture knowledge base and of the shipped flows, for tests that edit them. */
export async function editableDirs(): Promise<{ knowledge: string; flows: string }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'ua-admin-'));
  const knowledge = path.join(root, 'knowledge');
  const flows = path.join(root, 'flows');
  await cp(path.join(FIXTURES, 'knowledge'), knowledge, { recursive: true });
  await cp(path.resolve('flows'), flows, { recursive: true });
  return { knowledge, flows };
}

/** A leaflet that passes every rule against the fixture laws (99/2099/TEST). */
export function penguinLeaflet(answer: string, id = 'nghi-dong-chim'): string {
  return `---
id: ${id}
title: Nghỉ đông của chim cánh cụt
topic: thoi_gio
sources: ["99/2099/TEST:7"]
valid_from: 2020-01-01
review_by: 2099-12-31
tags: [nghi-dong]
---

## Chim cánh cụt nghỉ đông bao lâu?
${answer}
Căn cứ: 99/2099/TEST:7
`;
}
