import { z } from 'zod';
import { route, type RouteDef } from '../api/route.js';
import type { AdminServices } from '../services.js';

const idParams = z.object({ id: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'mã luồng không hợp lệ') });
const yamlBody = z.object({ yaml: z.string().min(1).max(500_000) });

export function flowRoutes(s: AdminServices): RouteDef[] {
  return [
    route({
      method: 'get',
      path: '/flows',
      tag: 'flows',
      summary: 'Danh sách luồng hội thoại',
      role: 'admin',
      response: z.object({
        items: z.array(z.object({ id: z.string(), file: z.string(), description: z.string().optional() })),
      }),
      async handler() {
        return { items: await s.flows.list() };
      },
    }),
    route<{ id: string }>({
      method: 'get',
      path: '/flows/:id',
      tag: 'flows',
      summary: 'Nội dung YAML của một luồng',
      role: 'admin',
      params: idParams,
      response: z.object({ id: z.string(), file: z.string(), yaml: z.string() }),
      handler: ({ params }) => s.flows.read(params.id),
    }),
    route<Record<string, never>, Record<string, never>, { id: string; yaml: string }>({
      method: 'post',
      path: '/flows/validate',
      tag: 'flows',
      summary: 'Kiểm tra một luồng cùng các luồng khác (quy tắc của flows:check) mà không lưu',
      role: 'admin',
      body: yamlBody.extend({ id: idParams.shape.id }),
      response: z.object({ ok: z.boolean(), errors: z.array(z.string()) }),
      // Reads only.
      audit: false,
      async handler({ body }) {
        const errors = await s.flows.validate(body.id, body.yaml);
        return { ok: errors.length === 0, errors };
      },
    }),
    route<{ id: string }, Record<string, never>, { yaml: string }>({
      method: 'put',
      path: '/flows/:id',
      tag: 'flows',
      summary: 'Lưu luồng (chỉ khi hợp lệ) và nạp lại ngay, không cần khởi động lại',
      role: 'admin',
      params: idParams,
      body: yamlBody,
      response: z.object({ ok: z.literal(true) }),
      audit: { action: 'flow.update' },
      async handler({ params, body }) {
        await s.flows.write(params.id, body.yaml);
        return { ok: true as const };
      },
    }),
  ];
}
