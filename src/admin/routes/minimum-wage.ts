import { z } from 'zod';
import { minimumWageFile } from '../../calculators/minimum-wage-file.js';
import { MinimumWageDataError, minimumWageFileSchema } from '../../calculators/minimum-wage.js';
import { HttpError } from '../api/errors.js';
import { route, type RouteDef } from '../api/route.js';
import type { AdminServices } from '../services.js';

/**
 * The regional minimum wage data file (knowledge/data/minimum-wage.json) the chat's lookup and the
 * unemployment calculator read. A PUT replaces the whole file: it is validated (every bad entry named), its
 * amounts must be written in the cited article of a law shipped in knowledge/laws/, and it is written
 * atomically; the next lookup in every process reads the new file.
 */
export function minimumWageRoutes(s: AdminServices): RouteDef[] {
  const file = () => minimumWageFile(s.config.paths.knowledge);
  return [
    route({
      method: 'get',
      path: '/minimum-wage',
      tag: 'knowledge',
      summary: 'Dữ liệu lương tối thiểu vùng: mức lương, tỉnh, phường, xã theo vùng và nguồn',
      role: 'viewer',
      response: minimumWageFileSchema,
      async handler() {
        const data = await file()
          .load()
          .catch((err: unknown) => {
            if (err instanceof MinimumWageDataError) throw new HttpError(500, 'invalid_file', err.message);
            throw err;
          });
        if (!data) throw new HttpError(404, 'not_found', 'Chưa có tệp knowledge/data/minimum-wage.json');
        return data;
      },
    }),
    route<Record<string, never>, Record<string, never>, Record<string, unknown>>({
      method: 'put',
      path: '/minimum-wage',
      tag: 'knowledge',
      summary: 'Thay toàn bộ dữ liệu lương tối thiểu vùng (kiểm tra với điều luật trước khi lưu)',
      role: 'admin',
      // The whole file; checked by the data file's own rules so that every error names its entry.
      body: z.looseObject({}),
      response: minimumWageFileSchema,
      audit: { action: 'minimum_wage.update', target: () => 'knowledge/data/minimum-wage.json' },
      async handler({ body, note }) {
        try {
          const data = await file().write(body);
          note({
            legal_source: data.legal_source,
            effective: data.effective,
            provinces: data.provinces.length,
            localities: data.localities.length,
          });
          return data;
        } catch (err) {
          if (!(err instanceof MinimumWageDataError)) throw err;
          throw new HttpError(422, 'invalid', err.message, {
            issues: err.problems.map((message) => ({ path: 'body', message })),
          });
        }
      },
    }),
  ];
}
