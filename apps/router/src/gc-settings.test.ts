// The router's V8 heap setting (gc-settings.ts): which flags it sets given the command line, and that a
// process which applied it (gc-settings-apply.ts, as main.ts does) makes no pretenuring decision under a
// workload that V8's default tenures: a backlog of request-like objects alive across scavenges (the router's
// cold start under load), then the same literal made and dropped.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NO_PRETENURING, routerV8Flags } from './gc-settings.js';

describe('routerV8Flags', () => {
  it('turns allocation-site pretenuring off when nothing on the command line names it', () => {
    expect(NO_PRETENURING).toBe('--no-allocation-site-pretenuring');
    expect(routerV8Flags([], undefined)).toEqual([NO_PRETENURING]);
    // Other flags, and flags that only share a prefix, leave the default to the router.
    expect(routerV8Flags(['--enable-source-maps', '--max-semi-space-size=16'], '--max-old-space-size=512')).toEqual([
      NO_PRETENURING,
    ]);
    expect(routerV8Flags(['--allocation-site-pretenuring-extra'], '')).toEqual([NO_PRETENURING]);
  });

  it('leaves the setting to the command line or NODE_OPTIONS when either names it, either way', () => {
    expect(routerV8Flags(['--allocation-site-pretenuring'], undefined)).toEqual([]);
    expect(routerV8Flags(['--no-allocation-site-pretenuring'], undefined)).toEqual([]);
    // V8 accepts underscores for dashes, and NODE_OPTIONS is a space-separated list.
    expect(routerV8Flags([], '--max-old-space-size=512  --allocation_site_pretenuring')).toEqual([]);
    expect(routerV8Flags(['--allocation-site-pretenuring=true'], undefined)).toEqual([]);
  });
});

const APPLY = fileURLToPath(new URL('./gc-settings-apply.ts', import.meta.url));
// 50,000 request-like objects (one object literal with a nested object and array literal each) kept alive
// across the scavenges they cause, then 200,000 more made and dropped at once. A fixed 1 MiB semi-space makes
// every scavenge one at V8's maximum young-generation size, where V8 tenures a literal at once when ≥ 85 % of
// its objects (at least 100) are found alive: the backlog's three literals qualify.
const WORKLOAD = `
function request(i) { return { id: i, tokens: [i, i + 1], decision: { worker: 'w', score: i } }; }
const backlog = [];
for (let i = 0; i < 50000; i++) backlog.push(request(i));
let sum = 0;
for (let i = 0; i < 200000; i++) sum += request(i).tokens[1];
console.log('done', backlog.length, sum);
`;

/** Runs WORKLOAD in a node with `flags` and the router's setting imported; V8's tenure decisions it logged. */
function tenureDecisions(flags: string[]): number {
  const run = spawnSync(
    process.execPath,
    [
      ...flags,
      '--min-semi-space-size=1',
      '--max-semi-space-size=1',
      '--trace-pretenuring-statistics',
      '--import',
      'tsx',
      '--import',
      APPLY,
      '--input-type=module',
      '-e',
      WORKLOAD,
    ],
    { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } },
  );
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout).toContain('done 50000 ');
  // V8 logs each site's decision per scavenge as "... (created, found, ratio) (…) <before> => <after>".
  return run.stdout.split('\n').filter((l) => / => tenure$/.test(l)).length;
}

describe('the router process with its heap setting applied', () => {
  it('makes no pretenuring decision where V8 by default tenures the backlog’s literals', () => {
    // Control: the command line keeps V8's default (the setting then sets nothing), and V8 tenures.
    expect(tenureDecisions(['--allocation-site-pretenuring'])).toBeGreaterThan(0);
    expect(tenureDecisions([])).toBe(0);
  }, 60_000);
});
