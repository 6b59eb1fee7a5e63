import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * One tier identity, enforced (issue 10, item 3): outside tests, only the owner module
 * (`@oicf/core` hardware/tiers.ts) and the wire enum it mirrors (common.proto `Tier`) spell a pool tier.
 * Everything else derives from POOL_TIERS, POOL_TIER_IDS or the wire mapping of `@oicf/pool-client`.
 * scripts/count-tier-spellings.mjs says what counts as a spelling; run it with --list to see the lines.
 */
const root = join(import.meta.dirname, '..', '..');

describe('tier spellings', () => {
  it('are only in the owner module and the proto enum', () => {
    const out = execFileSync(process.execPath, [join(root, 'scripts', 'count-tier-spellings.mjs'), root, '--list'], {
      encoding: 'utf8',
    });
    const files = new Set(
      out
        .split('\n')
        .filter((line) => /^\S+:\d+: /.test(line))
        .map((line) => line.slice(0, line.indexOf(':'))),
    );
    expect([...files].sort()).toEqual([
      'packages/oicf/src/hardware/tiers.ts',
      'packages/proto/proto/oicf/v1/common.proto',
    ]);
    // 4 pool tiers × (id, wire name, config key) in tiers.ts + 4 enum values = 16 (a scanner that reads nothing fails).
    expect(out.trim().split('\n').at(-1)).toBe('16 lines in 2 files');
  });
});
