import { timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { ZodError, type z } from 'zod';
import type { Logger } from '../../platform/logger.js';
import type { AuditLog } from '../audit.js';
import { principalOf, type Principal, type PrincipalDeps } from '../auth/principal.js';
import { roleAllows } from '../roles.js';
import { HttpError, invalidInput } from './errors.js';
import type { RouteContext, RouteDef } from './route.js';

/** Turns a domain error (campaign, inbox, user …) into what the officer sees; undefined when unknown. */
export type ErrorMapper = (err: unknown) => HttpError | undefined;

export interface MountDeps {
  principals: PrincipalDeps;
  audit: AuditLog;
  logger: Logger;
  errorMappers: ErrorMapper[];
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value);
  if (!result.success) throw invalidInput(result.error, where);
  return result.data;
}

/** Refuses a request made with the console's cookie unless it carries the session's CSRF token. */
function checkCsrf(req: Request, principal: Principal): void {
  if (principal.via !== 'session' || req.method === 'GET' || req.method === 'HEAD') return;
  const sent = req.get('x-csrf-token') ?? '';
  if (!principal.session || !sameSecret(sent, principal.session.csrfToken))
    throw new HttpError(403, 'csrf', 'Thiếu hoặc sai mã chống giả mạo (CSRF); hãy tải lại trang');
}

export async function authorise(
  req: Request,
  def: RouteDef,
  deps: PrincipalDeps,
): Promise<Principal | undefined> {
  if (def.role === 'public') return principalOf(req, deps);
  const principal = await principalOf(req, deps);
  if (!principal) throw new HttpError(401, 'unauthenticated', 'Bạn cần đăng nhập');
  if (!roleAllows(principal.user.role, def.role))
    throw new HttpError(403, 'forbidden', 'Tài khoản của bạn không có quyền làm việc này');
  checkCsrf(req, principal);
  return principal;
}

function textBody(req: Request, def: RouteDef): unknown {
  const text = def.textBody;
  if (text && req.is(text.contentType)) return { [text.field]: typeof req.body === 'string' ? req.body : '' };
  return req.body;
}

export function sendError(res: Response, err: HttpError): void {
  for (const [name, value] of Object.entries(err.extra.headers ?? {})) res.set(name, value);
  res.status(err.status).json({
    error: { code: err.code, message: err.message, ...(err.extra.issues && { issues: err.extra.issues }) },
  });
}

/** Adds every route to `router` with authentication, role check, CSRF check, validation and audit. */
export function mountRoutes(router: Router, routes: RouteDef[], deps: MountDeps): void {
  for (const def of routes) {
    if (def.method !== 'get' && def.audit === undefined)
      throw new Error(
        `${def.method.toUpperCase()} ${def.path}: a change must say what the audit log records`,
      );
    router[def.method](def.path, async (req: Request, res: Response, next: NextFunction) => {
      let details: Record<string, unknown> | undefined;
      try {
        const principal = await authorise(req, def, deps.principals);
        const ctx: RouteContext<unknown, unknown, unknown> = {
          req,
          res,
          params: parse(def.params, req.params, 'params'),
          query: parse(def.query, req.query, 'query'),
          body: def.body ? parse(def.body, textBody(req, def) ?? {}, 'body') : undefined,
          principal: principal as Principal,
          note: (more) => (details = { ...details, ...more }),
        };
        const result = await def.handler(ctx);
        if (def.audit && principal) {
          await deps.audit.record({
            actor: { id: principal.user.id, username: principal.user.username, via: principal.via },
            action: def.audit.action,
            target: def.audit.target?.(ctx, result) ?? (ctx.params as { id?: string } | undefined)?.id,
            details,
          });
        }
        if (def.produces) return;
        if (result === undefined || def.status === 204) res.status(204).end();
        else res.status(def.status ?? 200).json(result);
      } catch (err) {
        const known =
          err instanceof HttpError
            ? err
            : err instanceof ZodError
              ? invalidInput(err, 'body')
              : deps.errorMappers.map((m) => m(err)).find((e) => e !== undefined);
        if (!known) return next(err);
        if (res.headersSent) return res.end();
        sendError(res, known);
      }
    });
  }
}

/** Body parsers of the admin API: JSON, and the text bodies of uploads (CSV, Markdown). */
export function bodyParsers(): express.RequestHandler[] {
  return [
    express.json({ limit: '2mb' }),
    express.text({ type: ['text/csv', 'text/markdown', 'text/plain'], limit: '50mb' }),
  ];
}
