import { z } from 'zod';
import { errorBodySchema } from './errors.js';
import type { RouteDef } from './route.js';

type JsonSchema = Record<string, unknown>;

/** JSON Schema (2020-12, which OpenAPI 3.1 uses) of a zod schema, as the client sends or receives it. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const out = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  delete out.$schema;
  return out;
}

function pathOf(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z_]+)/g, '{$1}');
}

function parameters(def: RouteDef): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const [where, schema] of [
    ['path', def.params],
    ['query', def.query],
  ] as const) {
    if (!schema) continue;
    const object = jsonSchema(schema, 'input') as {
      properties?: Record<string, JsonSchema>;
      required?: string[];
    };
    for (const [name, property] of Object.entries(object.properties ?? {})) {
      out.push({
        name,
        in: where,
        required: where === 'path' || (object.required ?? []).includes(name),
        schema: property,
      });
    }
  }
  return out;
}

const ERROR_RESPONSE = { $ref: '#/components/responses/Error' };

function responses(def: RouteDef): Record<string, unknown> {
  const ok = def.status ?? 200;
  const out: Record<string, unknown> = {};
  if (def.produces) {
    out['200'] = {
      description: def.produces === 'text/csv' ? 'Tệp CSV' : 'Luồng sự kiện (server-sent events)',
      content: { [def.produces]: { schema: { type: 'string' } } },
    };
  } else if (ok === 204 || !def.response) {
    out['204'] = { description: 'Xong, không có nội dung trả về' };
  } else {
    out[String(ok)] = {
      description: 'Thành công',
      content: { 'application/json': { schema: jsonSchema(def.response, 'output') } },
    };
  }
  if (def.params || def.query || def.body) out['400'] = ERROR_RESPONSE;
  if (def.role !== 'public') {
    out['401'] = ERROR_RESPONSE;
    out['403'] = ERROR_RESPONSE;
  }
  if (def.params) out['404'] = ERROR_RESPONSE;
  if (def.method !== 'get') out['409'] = ERROR_RESPONSE;
  return out;
}

function requestBody(def: RouteDef): JsonSchema | undefined {
  if (!def.body) return undefined;
  const content: Record<string, unknown> = { 'application/json': { schema: jsonSchema(def.body, 'input') } };
  if (def.textBody) content[def.textBody.contentType] = { schema: { type: 'string' } };
  return { required: true, content };
}

/** The OpenAPI 3.1 document of the admin API, generated from the same route descriptions that serve it. */
export function openApiDocument(routes: RouteDef[], info: { version: string; basePath: string }): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const def of routes) {
    const path = pathOf(def.path);
    const operation: JsonSchema = {
      operationId: `${def.method}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
      tags: [def.tag],
      summary: def.summary,
      description: def.role === 'public' ? 'Không cần đăng nhập.' : `Quyền tối thiểu: ${def.role}.`,
      'x-required-role': def.role,
      security: def.role === 'public' ? [] : [{ session: [], csrf: [] }, { token: [] }],
      responses: responses(def),
    };
    const params = parameters(def);
    if (params.length) operation.parameters = params;
    const body = requestBody(def);
    if (body) operation.requestBody = body;
    (paths[path] ??= {})[def.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Trợ lý Công đoàn — admin API',
      version: info.version,
      description:
        'API của bảng điều khiển cán bộ. Đăng nhập bằng cookie phiên (gửi kèm X-CSRF-Token khi thay đổi dữ liệu) hoặc mã API (Authorization: Bearer).',
    },
    servers: [{ url: info.basePath }],
    paths,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'ua_admin' },
        csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
        token: { type: 'http', scheme: 'bearer' },
      },
      responses: {
        Error: {
          description: 'Lỗi, với mã và lời giải thích',
          content: { 'application/json': { schema: jsonSchema(errorBodySchema, 'output') } },
        },
      },
    },
  };
}
