import { numberParam, type ParamSchema, type ParamValues, type ParseResult, parseParams } from '../framework/params.js';
import type { RoutingPolicy } from '../types.js';
import { leastLoadedPolicy, prefixAwarePolicy, roundRobinPolicy } from './baselines.js';
import { oicfCostPolicy } from './oicf-cost.js';

export interface PolicyEntry {
  readonly name: string;
  readonly summary: string;
  readonly params: ParamSchema;
  create(params: unknown, path: string): ParseResult<RoutingPolicy>;
}

function entry<S extends ParamSchema>(
  name: string,
  summary: string,
  params: S,
  make: (p: ParamValues<S>) => RoutingPolicy,
): PolicyEntry {
  return {
    name,
    summary,
    params,
    create(input, path) {
      const parsed = parseParams(params, input, path);
      return parsed.ok ? { ok: true, value: make(parsed.value) } : parsed;
    },
  };
}

/** Every routing policy, registered in one place (names are what configs and --policy accept). */
export const routingPolicies: readonly PolicyEntry[] = [
  entry('round-robin', 'cycle through healthy workers of each role', {}, () => roundRobinPolicy()),
  entry('least-loaded', 'fewest running + waiting sequences, then most free KV', {}, () => leastLoadedPolicy()),
  entry(
    'prefix-aware',
    'decode worker holding the longest prompt prefix, balanced against load',
    {
      prefixWeight: numberParam({ default: 2, min: 0, doc: 'weight of the prefix-overlap score' }),
      queueWeight: numberParam({ default: 1, min: 0, doc: 'weight of the queue score' }),
    },
    (p) => prefixAwarePolicy(p),
  ),
  entry(
    'oicf-cost',
    'minimum predicted TTFT over decode workers that hold the KV footprint; 429 on SLO or capacity',
    {
      sloTtftSeconds: numberParam({ default: 10, min: 0, doc: 'reject when the best predicted TTFT exceeds this' }),
      maxLocalPrefillTokens: numberParam({
        default: 256,
        min: 0,
        doc: 'prefill on the decode worker when at most this many prompt tokens are uncached there',
      }),
    },
    (p) => oicfCostPolicy(p),
  ),
];

/** Creates a policy by name, or returns every error (unknown name lists the valid ones). */
export function createRoutingPolicy(name: string, params: unknown = {}, path = 'policy'): ParseResult<RoutingPolicy> {
  const found = routingPolicies.find((p) => p.name === name);
  if (!found) {
    return {
      ok: false,
      errors: [
        `${path}.name: unknown routing policy '${name}' (valid: ${routingPolicies.map((p) => p.name).join(', ')})`,
      ],
    };
  }
  return found.create(params, `${path}.params`);
}
