// What the "rest" of a remote prefill's router TTFT (beyond the reported queue + prefill + transfer) is made of
// (round 9, issue 12), from a real run's records alone. The prefill worker runs onnxruntime on its main thread, so a
// `prefill` frame dispatched while another prefill's kernel call runs is read only when that call returns (between
// chunks of PREFILL_CHUNK_TOKENS). Each record gives its prefill worker's timeline: the router's first token at
// arrival + the router's TTFT, the kernel before the transfer, its chunks by their share of the new tokens. For each
// request: the time from its arrival to the end of the chunk running then on its worker ("unread"), beside its rest.
import { DEFAULT_PREFILL_CHUNK_TOKENS } from '@oicf/kernels/step-time';
import type { ReplayRequestRecord } from '@oicf/report';

export interface RestRow {
  readonly id: string;
  readonly worker: string;
  /** At the router (client send + half the client's share of TTFT), run seconds. */
  readonly arrivalSeconds: number;
  /** Ends of the prefill's kernel calls, run seconds (the last is the kernel's end). */
  readonly chunkEnds: readonly number[];
  readonly kernelStartSeconds: number;
  /** The router's TTFT − the reported queue, prefill compute and KV transfer. */
  readonly restSeconds: number;
}

/** The remote prefills' timelines (records without router timings are left out). */
export function restRows(records: readonly ReplayRequestRecord[]): RestRow[] {
  const out: RestRow[] = [];
  for (const r of records) {
    const g = r.routing;
    if (r.status !== 'ok' || g === null || g.reason !== 'remote-prefill' || g.prefillWorkerId === null) continue;
    if (r.ttftSeconds === null || g.serverTtftSeconds === null || r.sentSeconds === null) continue;
    const queue = g.queueSeconds ?? 0;
    const prefill = g.prefillSeconds ?? 0;
    const transfer = g.kvTransferSeconds ?? 0;
    const arrival = r.sentSeconds + (r.ttftSeconds - g.serverTtftSeconds) / 2;
    const kernelEnd = arrival + g.serverTtftSeconds - transfer;
    const kernelStart = kernelEnd - prefill;
    let at = kernelStart;
    const chunkEnds = chunkShares(r.numInputTokens - (r.numCachedTokens ?? 0)).map((s) => (at += s * prefill));
    out.push({
      id: r.requestId,
      worker: g.prefillWorkerId,
      arrivalSeconds: arrival,
      chunkEnds,
      kernelStartSeconds: kernelStart,
      restSeconds: g.serverTtftSeconds - queue - prefill - transfer,
    });
  }
  return out;
}

/** For each row: seconds from its arrival to the end of the kernel call another prefill ran on its worker then (0: none). */
export function unreadSeconds(rows: readonly RestRow[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const j of rows) {
    let wait = 0;
    for (const i of rows) {
      if (i === j || i.worker !== j.worker) continue;
      const end = i.chunkEnds.find((e) => e > j.arrivalSeconds);
      if (i.kernelStartSeconds <= j.arrivalSeconds && end !== undefined) wait = Math.max(wait, end - j.arrivalSeconds);
    }
    out.set(j.id, wait);
  }
  return out;
}

/** Prompt tokens per prefill kernel call: KernelRunner's default (the workers set none). */
export const PREFILL_CHUNK_TOKENS = DEFAULT_PREFILL_CHUNK_TOKENS;

/** Each kernel call's share of a prefill of `numNewTokens` (one per PREFILL_CHUNK_TOKENS, the last the rest). */
export function chunkShares(numNewTokens: number): number[] {
  if (!(numNewTokens > PREFILL_CHUNK_TOKENS)) return [1];
  const out: number[] = [];
  for (let at = 0; at < numNewTokens; at += PREFILL_CHUNK_TOKENS)
    out.push(Math.min(PREFILL_CHUNK_TOKENS, numNewTokens - at) / numNewTokens);
  return out;
}
