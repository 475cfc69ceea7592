import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { Principal } from '../auth/principal.js';
import type { Role } from '../roles.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

type AnyObject = z.ZodType<Record<string, unknown>>;

export interface RouteContext<P, Q, B> {
  req: Request;
  res: Response;
  params: P;
  query: Q;
  body: B;
  /** Present on every route but the public ones. */
  principal: Principal;
  /** Adds details to this request's audit entry (what changed, counts). */
  note(details: Record<string, unknown>): void;
}

/**
 * One admin API operation, described as data: the express route, its validation, who may call it, what the
 * audit log says about it, and its OpenAPI entry all come from this one description.
 */
export interface RouteDef<P = unknown, Q = unknown, B = unknown> {
  method: Method;
  /** Express-style path under /admin/api: "/campaigns/:id". */
  path: string;
  tag: string;
  summary: string;
  /** The least role allowed; `public` needs no login. */
  role: Role | 'public';
  params?: z.ZodType<P> & AnyObject;
  query?: z.ZodType<Q> & AnyObject;
  body?: z.ZodType<B>;
  /** A raw text body this route also takes, turned into `{ [field]: text }` before validation. */
  textBody?: { contentType: string; field: string };
  /** The JSON answer (documentation; handlers are typed by it loosely). */
  response?: z.ZodType;
  /** Status of a successful answer: 200 by default, 204 when the handler returns nothing. */
  status?: 200 | 201 | 202 | 204;
  /** A route that writes its own answer (CSV, server-sent events) documents its media type here. */
  produces?: 'text/csv' | 'text/event-stream';
  /**
   * What the audit log records for a change: `<area>.<verb>` and where the target id comes from. Every
   * route but GET must say it, or say `false` with the reason in a comment (it changes nothing).
   */
  audit?:
    { action: string; target?: (ctx: RouteContext<P, Q, B>, result: unknown) => string | undefined } | false;
  handler(ctx: RouteContext<P, Q, B>): Promise<unknown>;
}

/** Keeps each route's own parameter types while letting routes of different shapes share one list. */
export function route<P = Record<string, never>, Q = Record<string, never>, B = undefined>(
  def: RouteDef<P, Q, B>,
): RouteDef {
  return def as unknown as RouteDef;
}
