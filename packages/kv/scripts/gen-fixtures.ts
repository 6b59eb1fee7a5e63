// Regenerates packages/kv/fixtures/ from the generators in src/testing (run from the repo root:
// `node --import tsx packages/kv/scripts/gen-fixtures.ts`). A test fails if the files drift.
import { writeFileSync } from 'node:fs';
import { generateSessionFixture, toJsonl } from '../src/testing/session-trace-fixture.js';

const target = new URL('../fixtures/sessions-mini.jsonl', import.meta.url);
writeFileSync(target, toJsonl(generateSessionFixture()));
console.log(`wrote ${target.pathname}`);
