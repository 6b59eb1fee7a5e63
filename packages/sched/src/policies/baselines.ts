import { healthyFilter, roleFilter } from '../filters/filters.js';
import { maxScorePicker, roundRobinPicker } from '../framework/pickers.js';
import { profilePolicy } from '../framework/profile-policy.js';
import { kvFreeScorer, prefixScorer, queueScorer } from '../scorers/scorers.js';
import type { RoutingPolicy } from '../types.js';

/** Cycles through healthy workers of each role in id order. No parameters. */
export function roundRobinPolicy(): RoutingPolicy {
  return profilePolicy(
    'round-robin',
    { filters: [healthyFilter, roleFilter('decode')], scorers: [], picker: roundRobinPicker() },
    { filters: [healthyFilter, roleFilter('prefill')], scorers: [], picker: roundRobinPicker() },
    () => 'round-robin',
  );
}

/** Fewest running + waiting sequences, then most free KV. No parameters. */
export function leastLoadedPolicy(): RoutingPolicy {
  const scorers = [
    { scorer: queueScorer, weight: 1 },
    { scorer: kvFreeScorer, weight: 0.25 },
  ];
  return profilePolicy(
    'least-loaded',
    { filters: [healthyFilter, roleFilter('decode')], scorers, picker: maxScorePicker },
    {
      filters: [healthyFilter, roleFilter('prefill')],
      scorers: [{ scorer: queueScorer, weight: 1 }],
      picker: maxScorePicker,
    },
    () => 'least-loaded',
  );
}

export interface PrefixAwareParams {
  /** Weight of the prefix-overlap score against the queue score (llm-d's default ratio is 2:1). */
  readonly prefixWeight: number;
  readonly queueWeight: number;
}

/** The decode worker holding the longest prefix of the prompt, balanced against its queue. */
export function prefixAwarePolicy(params: PrefixAwareParams): RoutingPolicy {
  return profilePolicy(
    'prefix-aware',
    {
      filters: [healthyFilter, roleFilter('decode')],
      scorers: [
        { scorer: prefixScorer, weight: params.prefixWeight },
        { scorer: queueScorer, weight: params.queueWeight },
      ],
      picker: maxScorePicker,
    },
    {
      filters: [healthyFilter, roleFilter('prefill')],
      scorers: [{ scorer: queueScorer, weight: 1 }],
      picker: maxScorePicker,
    },
    (request, decodeWorkerId) =>
      (request.workerPrefixBlocks.get(decodeWorkerId) ?? 0) > 0 ? 'prefix-hit' : 'prefix-miss',
  );
}
