import { fail, OicfCoreError, ok } from '../errors.js';
import type { ConventionName, ConventionOptions, ResolvedConvention, Result } from '../types.js';

// Three named ways of counting. docs/oicf.md explains each choice.
//
// paper:      the idealisation of the OI/CF argument: FLOPs of the matmuls (causal prefill),
//             bytes = weights + KV read + KV written, nothing else.
// llm-viewer: LLM-Viewer's analyzer (hahnyuan/LLM-Viewer, use_flashattention=False): full-square
//             prefill attention, unfused activation traffic with the score matrix materialized,
//             norms 7 FLOPs/element, activation 2 FLOPs/element over hidden, lm_head at 1 FLOP per
//             multiply-add on the last token, decode attends exactly L keys. Agreement with its own
//             figures is tested in llm-viewer-agreement.test.ts.
// oicf:       the project default, a modern serving engine (vLLM/SGLang-like): causal attention
//             fused FlashAttention-style (no score matrix in memory), GEMMs read their inputs and
//             write their outputs, elementwise FLOPs counted at physical costs, MoE weights by
//             expected distinct experts, MLA absorbed for decode and expanded for prefill.

const paper: ConventionOptions = {
  prefillAttention: 'causal',
  countElementwiseFlops: false,
  normFlopsPerElement: 4,
  softmaxFlopsPerElement: 5,
  activationFlopsPerElement: 5,
  residualFlopsPerElement: 1,
  activationElements: 'intermediate',
  lmHeadFlopsPerMac: 2,
  activationTraffic: 'none',
  lmHeadTokens: 'last',
  moeWeights: 'expected-distinct',
  mlaAttention: 'auto',
  decodeAttendsNewToken: true,
  countEmbeddingGather: false,
  countKvWrite: true,
};

const llmViewer: ConventionOptions = {
  prefillAttention: 'full-square',
  countElementwiseFlops: true,
  normFlopsPerElement: 7,
  softmaxFlopsPerElement: 5,
  activationFlopsPerElement: 2,
  residualFlopsPerElement: 1,
  activationElements: 'hidden',
  lmHeadFlopsPerMac: 1,
  activationTraffic: 'unfused',
  lmHeadTokens: 'last',
  moeWeights: 'all-experts',
  mlaAttention: 'expanded',
  decodeAttendsNewToken: false,
  countEmbeddingGather: false,
  countKvWrite: true,
};

const oicf: ConventionOptions = {
  prefillAttention: 'causal',
  countElementwiseFlops: true,
  normFlopsPerElement: 4,
  softmaxFlopsPerElement: 5,
  activationFlopsPerElement: 5,
  residualFlopsPerElement: 1,
  activationElements: 'intermediate',
  lmHeadFlopsPerMac: 2,
  activationTraffic: 'fused',
  lmHeadTokens: 'last',
  moeWeights: 'expected-distinct',
  mlaAttention: 'auto',
  decodeAttendsNewToken: true,
  countEmbeddingGather: true,
  countKvWrite: true,
};

export const CONVENTIONS: Readonly<Record<ConventionName, ConventionOptions>> = {
  paper,
  'llm-viewer': llmViewer,
  oicf,
};

export const CONVENTION_NAMES: readonly ConventionName[] = ['paper', 'llm-viewer', 'oicf'];

export const DEFAULT_CONVENTION: ConventionName = 'oicf';

export function getConvention(name: string): Result<ResolvedConvention> {
  if ((CONVENTION_NAMES as readonly string[]).includes(name)) {
    const preset = name as ConventionName;
    return ok({ name: preset, options: CONVENTIONS[preset] });
  }
  return fail({
    code: 'NOT_FOUND',
    message: `unknown convention '${name}'; valid: ${CONVENTION_NAMES.join(', ')}`,
    validIds: CONVENTION_NAMES,
  });
}

/** A preset name resolves to itself; an options object is reported as 'custom' unless it equals
 * a preset field by field. Undefined means the project default ('oicf'). */
export function resolveConvention(convention: ConventionName | ConventionOptions | undefined): ResolvedConvention {
  if (convention === undefined) return { name: DEFAULT_CONVENTION, options: CONVENTIONS[DEFAULT_CONVENTION] };
  if (typeof convention === 'string') {
    const options = CONVENTIONS[convention];
    if (!options) {
      throw new OicfCoreError({
        code: 'INVALID_ARGUMENT',
        message: `unknown convention '${String(convention)}'; valid: ${CONVENTION_NAMES.join(', ')}`,
        validIds: CONVENTION_NAMES,
      });
    }
    return { name: convention, options };
  }
  for (const name of CONVENTION_NAMES) {
    if (sameOptions(CONVENTIONS[name], convention)) return { name, options: CONVENTIONS[name] };
  }
  return { name: 'custom', options: convention };
}

function sameOptions(a: ConventionOptions, b: ConventionOptions): boolean {
  const keys = Object.keys(a) as (keyof ConventionOptions)[];
  return keys.every((key) => a[key] === b[key]);
}
