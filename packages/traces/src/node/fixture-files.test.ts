import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRACE_FIXTURES } from '../testing/fixtures.js';
import { fixturesDir } from './shared-traces.js';

describe('checked-in fixtures', () => {
  it.each(Object.keys(TRACE_FIXTURES))('%s matches its generator and stays small', (name) => {
    const path = join(fixturesDir(), name);
    const generate = TRACE_FIXTURES[name] as () => string;
    // If this fails, run `pnpm --filter @oicf/traces fixtures` and review the diff.
    expect(readFileSync(path, 'utf8')).toBe(generate());
    expect(statSync(path).size).toBeLessThan(1_000_000);
  });
});
