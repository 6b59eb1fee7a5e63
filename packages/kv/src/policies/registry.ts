import { KvError } from '../errors.js';
import { lfuPlugin } from './lfu.js';
import { lruPlugin } from './lru.js';
import { oicfCostPlugin } from './oicf-cost.js';
import { parsePolicyParams } from './params.js';
import type { EvictionPolicy, PolicyContext, PolicyPlugin } from './policy.js';
import { s3FifoPlugin } from './s3-fifo.js';

/** The one place eviction/demotion policies are registered. */
export const POLICY_PLUGINS = {
  lru: lruPlugin,
  lfu: lfuPlugin,
  's3-fifo': s3FifoPlugin,
  oicf: oicfCostPlugin,
} as const satisfies Record<string, PolicyPlugin<never>>;

export type PolicyName = keyof typeof POLICY_PLUGINS;

export const POLICY_NAMES = Object.keys(POLICY_PLUGINS) as PolicyName[];

export function isPolicyName(name: unknown): name is PolicyName {
  return typeof name === 'string' && Object.hasOwn(POLICY_PLUGINS, name);
}

/** A policy choice as it appears in configuration: a name and untrusted parameters. */
export interface PolicyChoice {
  readonly name: string;
  readonly params?: unknown;
}

/**
 * Validates a policy choice and builds an instance. Throws INVALID_ARGUMENT naming the
 * unknown policy (with the valid names) or every bad parameter.
 */
export function createPolicy(choice: PolicyChoice, context: PolicyContext, path = 'policy'): EvictionPolicy {
  if (!isPolicyName(choice.name)) {
    throw new KvError(
      'INVALID_ARGUMENT',
      `${path}.name: unknown policy '${String(choice.name)}'; valid: ${POLICY_NAMES.join(', ')}`,
      `${path}.name`,
    );
  }
  const plugin = POLICY_PLUGINS[choice.name] as PolicyPlugin<unknown>;
  const parsed = parsePolicyParams(plugin.paramSchema, choice.params, `${path}.params`);
  if (!parsed.ok) throw new KvError('INVALID_ARGUMENT', parsed.errors.join('; '), `${path}.params`);
  return plugin.create(parsed.params, context);
}
