import { readFileSync } from 'node:fs';

/** The package version, read once from package.json (shown in the OpenAPI document and /readyz logs). */
export const APP_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
