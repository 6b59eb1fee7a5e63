import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROUTER_NODE_FLAGS } from './node-flags.js';

describe('ROUTER_NODE_FLAGS', () => {
  it('are accepted by this node and give the young generation a fixed 32 MiB semi-space from the start', () => {
    // node refuses an unknown flag ("bad option", exit 9), so exit 0 shows every flag is one V8 knows.
    const r = spawnSync(
      process.execPath,
      [
        ...ROUTER_NODE_FLAGS,
        '-e',
        'const s = require("node:v8").getHeapSpaceStatistics().find((x) => x.space_name === "new_space"); process.stdout.write(String(s.space_size))',
      ],
      { encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // new_space's size is one semi-space: --min-semi-space-size=32 → 32 × 2^20 = 33,554,432 bytes at start
    // (V8's default starts at 1 MiB = 1,048,576 and grows).
    expect(Number(r.stdout)).toBe(33_554_432);
  });
});
