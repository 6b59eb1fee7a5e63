import { tokensForHashId } from '@oicf/kv';
import type { TraceRequest } from '@oicf/traces';

/**
 * The prompt a trace request replays as token ids. Each block id of the trace becomes that id's
 * deterministic synthetic run of `blockTokens` tokens (`tokensForHashId` of @oicf/kv, byte tokens
 * 0..255), concatenated and cut to `inputTokens`; so requests that share leading block ids send
 * identical token prefixes and the cluster's prefix caches can really hit. Requests without block
 * ids (Azure) and any tail the ids do not cover get tokens unique to the request, so they share
 * nothing by accident.
 */
export function promptTokenIds(request: TraceRequest): number[] {
  const out = new Array<number>(request.inputTokens);
  let filled = 0;
  const blockTokens = request.blockTokens;
  if (request.blockHashes !== undefined && blockTokens !== undefined) {
    for (const id of request.blockHashes) {
      if (filled >= request.inputTokens) break;
      filled = copy(tokensForHashId(id, blockTokens), out, filled, request.inputTokens);
    }
  }
  for (let k = 0; filled < request.inputTokens; k++) {
    // A prefix no trace id can take (ids are integers or suffixed ids like `9/1`).
    filled = copy(tokensForHashId(`unshared:${request.requestId}:${k}`, 512), out, filled, request.inputTokens);
  }
  return out;
}

function copy(run: Uint32Array, out: number[], at: number, limit: number): number {
  const n = Math.min(run.length, limit - at);
  for (let i = 0; i < n; i++) out[at + i] = run[i] as number;
  return at + n;
}
