// Writes the generated trace fixtures to packages/traces/fixtures/ (run: pnpm --filter @oicf/traces fixtures).
// fixtures.test.ts fails when a checked-in file differs from its generator.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TRACE_FIXTURES } from '../src/testing/fixtures.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
mkdirSync(dir, { recursive: true });
for (const [name, generate] of Object.entries(TRACE_FIXTURES)) {
  writeFileSync(join(dir, name), generate());
  console.log(`wrote ${join(dir, name)}`);
}
