// The router's version, from its package.json (read once; served by GET /version as vLLM does).
import { readFileSync } from 'node:fs';

let cached: string | undefined;

export function routerVersion(): string {
  if (cached === undefined) {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
    cached = typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  }
  return cached;
}
