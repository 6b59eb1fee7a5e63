import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createPolicy, POLICY_NAMES, POLICY_PLUGINS } from './registry.js';

const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');

describe('policy registry', () => {
  it('registers lru, lfu, s3-fifo and oicf under their own names', () => {
    expect(POLICY_NAMES).toEqual(['lru', 'lfu', 's3-fifo', 'oicf']);
    for (const name of POLICY_NAMES) expect(POLICY_PLUGINS[name].name).toBe(name);
  });

  it.each(POLICY_NAMES)('builds %s with default parameters', (name) => {
    const policy = createPolicy({ name }, { capacityBytes: 100 });
    expect(policy.name).toBe(name);
    expect(policy.numBlocks).toBe(0);
  });

  it('names the unknown policy and the valid ones', () => {
    expect(() => createPolicy({ name: 'mru' }, { capacityBytes: 1 }, 'tiers[1].policy')).toThrow(
      "tiers[1].policy.name: unknown policy 'mru'; valid: lru, lfu, s3-fifo, oicf",
    );
  });

  it('reports bad parameters with their path', () => {
    expect(() => createPolicy({ name: 's3-fifo', params: { smallQueueRatio: 3 } }, { capacityBytes: 1 })).toThrow(
      'policy.params.smallQueueRatio: must be ≤ 1, got 3',
    );
  });

  it.each(POLICY_NAMES)('documents %s and every one of its parameters in policies/README.md', (name) => {
    expect(readme).toContain(`## \`${name}\``);
    for (const param of Object.keys(POLICY_PLUGINS[name].paramSchema)) expect(readme).toContain(`\`${param}\``);
  });
});
