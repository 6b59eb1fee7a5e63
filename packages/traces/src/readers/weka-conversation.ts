import type { TraceRequest } from '../types.js';
import { checkArray, checkInteger, checkNumber, checkRecord, checkString, FieldProblem, show } from './field-checks.js';
import type { WekaBlockIds } from './weka-block-ids.js';

/**
 * One kv-cache-tester / agentic-coding-analysis conversation (docs/traces.md §2.4):
 *
 *   {"id":"trace_0001","block_size":64,"hash_id_scope":"local","tool_tokens":12524,"system_tokens":3189,
 *    "requests":[{"t":0.0,"type":"s","in":20064,"out":797,"hash_ids":[1,...,313],"think_time":0.0,...},
 *                {"t":185.1,"type":"subagent","agent_id":"a44c","requests":[{"t":0.0,"type":"n",...}]}]}
 *
 * `t` is seconds from the conversation start (a subagent's inner `t` from its spawn), `in`/`out` token
 * counts, `hash_ids` one id per FULL `block_size`-token block (the partial tail is not hashed, so
 * floor(in / block_size) ids; ceil is accepted too). The conversation becomes session `<id>`, each
 * subagent session `<id>/sub<k>` (k = 1, 2, ... in file order).
 */
export interface WekaConversationResult {
  readonly sessionId: string;
  readonly requests: TraceRequest[];
  readonly numSubagents: number;
}

export function mapWekaConversation(
  obj: Record<string, unknown>,
  ids: WekaBlockIds,
  fallbackId: string,
): WekaConversationResult {
  const sessionId = obj.id === undefined || obj.id === null ? fallbackId : checkString(obj.id, 'id');
  const blockTokens = checkInteger(obj.block_size, 'block_size', 1);
  const scope = obj.hash_id_scope ?? 'local';
  if (scope !== 'local' && scope !== 'global') {
    throw new FieldProblem('hash_id_scope', `must be "local" or "global", got ${show(scope)}`);
  }
  const entries = checkArray(obj.requests, 'requests');
  ids.beginConversation();
  const requests: TraceRequest[] = [];
  const parent = new SessionBuilder(sessionId, blockTokens, scope, ids, requests);
  let numSubagents = 0;
  entries.forEach((raw, i) => {
    const path = `requests[${i}]`;
    const entry = checkRecord(raw, path);
    if (entry.type !== 'subagent') {
      parent.add(entry, path, 0);
      return;
    }
    numSubagents += 1;
    const spawnSeconds = checkNumber(entry.t, `${path}.t`, 0);
    const sub = new SessionBuilder(`${sessionId}/sub${numSubagents}`, blockTokens, scope, ids, requests);
    checkArray(entry.requests, `${path}.requests`).forEach((inner, j) => {
      const innerPath = `${path}.requests[${j}]`;
      const innerEntry = checkRecord(inner, innerPath);
      if (innerEntry.type === 'subagent') throw new FieldProblem(`${innerPath}.type`, 'subagents cannot nest');
      sub.add(innerEntry, innerPath, spawnSeconds);
    });
  });
  return { sessionId, requests, numSubagents };
}

const REQUEST_TYPES = new Set(['s', 'n', '?']);

/** Turns of one session (the parent or one subagent), in file order. */
class SessionBuilder {
  private previous: { t: number; apiSeconds: number | undefined; path: string } | undefined;
  private numTurns = 0;

  constructor(
    private readonly sessionId: string,
    private readonly blockTokens: number,
    private readonly scope: 'local' | 'global',
    private readonly ids: WekaBlockIds,
    private readonly out: TraceRequest[],
  ) {}

  add(entry: Record<string, unknown>, path: string, originSeconds: number): void {
    if (entry.type !== undefined && !REQUEST_TYPES.has(entry.type as string)) {
      throw new FieldProblem(`${path}.type`, `must be "s", "n" or "subagent", got ${show(entry.type)}`);
    }
    const t = checkNumber(entry.t, `${path}.t`, 0);
    const inputTokens = checkInteger(entry.in, `${path}.in`, 1);
    const outputTokens = checkInteger(entry.out, `${path}.out`, 0);
    const thinkSeconds = optional(entry.think_time, `${path}.think_time`);
    const apiSeconds = optional(entry.api_time, `${path}.api_time`);
    const blockHashes = this.blocks(entry.hash_ids, `${path}.hash_ids`, inputTokens);
    const prev = this.previous;
    if (prev !== undefined && t < prev.t) {
      throw new FieldProblem(
        `${path}.t`,
        `${t} is before the previous request of '${this.sessionId}' (${prev.path}.t = ${prev.t})`,
      );
    }
    const turnIndex = this.numTurns++;
    const request: TraceRequest = {
      requestId: `${this.sessionId}/${turnIndex}`,
      sessionId: this.sessionId,
      turnIndex,
      arrivalSeconds: originSeconds + t,
      inputTokens,
      outputTokens,
      blockHashes,
      blockTokens: this.blockTokens,
      ...(prev === undefined ? {} : { gapAfterPreviousSeconds: gapSeconds(t, prev, thinkSeconds) }),
    };
    this.out.push(request);
    this.previous = { t, apiSeconds, path };
  }

  /** Trace-wide ids: the full blocks through the scope's map, plus one for a partial tail. */
  private blocks(value: unknown, field: string, inputTokens: number): number[] {
    const raw = checkArray(value, field);
    const numFull = Math.floor(inputTokens / this.blockTokens);
    const numAll = Math.ceil(inputTokens / this.blockTokens);
    if (raw.length !== numFull && raw.length !== numAll) {
      throw new FieldProblem(
        field,
        `has ${raw.length} ids but in ${inputTokens} needs floor(${inputTokens}/${this.blockTokens}) = ${numFull} (full blocks)` +
          (numAll === numFull ? '' : ` or ceil = ${numAll}`),
      );
    }
    const out: number[] = [];
    for (let k = 0; k < raw.length; k++) out.push(this.ids.full(checkInteger(raw[k], `${field}[${k}]`, 0), this.scope));
    if (raw.length < numAll) out.push(this.ids.partial(out[numFull - 1], inputTokens - numFull * this.blockTokens));
    return out;
  }
}

function optional(value: unknown, field: string): number | undefined {
  return value === undefined || value === null ? undefined : checkNumber(value, field, 0);
}

/**
 * Closed-loop gap before a turn, following kv-cache-tester's timing strategies: the recorded
 * `think_time` (client delay after the previous response) when present; else `t` − previous `t` −
 * previous `api_time`; else `t` − previous `t` (its `original` fallback, which includes the
 * previous request's own service time).
 */
function gapSeconds(
  t: number,
  prev: { t: number; apiSeconds: number | undefined },
  thinkSeconds: number | undefined,
): number {
  if (thinkSeconds !== undefined) return thinkSeconds;
  const sinceStart = t - prev.t;
  return prev.apiSeconds === undefined ? sinceStart : Math.max(0, sinceStart - prev.apiSeconds);
}
