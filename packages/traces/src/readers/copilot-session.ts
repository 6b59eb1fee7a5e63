import type { TraceRequest } from '../types.js';
import { type AzureTimestamp, secondsBetween } from './azure-timestamp.js';
import type { CachedPrefixBlocks } from './cached-prefix-blocks.js';
import { checkArray, checkInteger, checkNumber, checkRecord, checkString, FieldProblem, show } from './field-checks.js';
import { parseIsoTimestamp, parseUtcDate } from './iso-timestamp.js';

/**
 * One session of the GitHub Copilot coding-agent dataset 2026 (Azure/AzurePublicDataset,
 * GitHubCopilotCodingAgentDataset2026.md and its schema.json), one JSON object per line:
 *
 *   {"session_id":"…","date":"2026-06-01","turns":[{"turn_id":"…",
 *     "llm_calls":[{"message_id":"…","timestamp":"2026-06-01T10:00:00.125Z","duration_ms":2150.5,
 *                   "model":"Model A","tokens":{"prompt":31200,"completion":410,"cached":30720,…},…}],
 *     "tool_batches":[{"timestamp":"…","duration_ms":840.0,"function_calls":[{"name":"read_file",…}],…}]}]}
 *
 * Every LLM call with a prompt becomes a request of session `session_id`, in timestamp order across
 * its turns: turnIndex k, requestId `<session_id>/<k>`, arrival = timestamp − the trace origin,
 * gap = its start − the previous call's end (timestamp + duration_ms; 0 when they overlap), which
 * covers the tool batches and any user idle time between them. Calls with 0 prompt tokens have
 * nothing to prefill and are left out (counted). Block ids are synthesized from the cached counts
 * (cached-prefix-blocks.ts).
 */
export interface CopilotContext {
  readonly blocks: CachedPrefixBlocks;
  /** Midnight UTC of the first session's `date` (or of its first call); set by the first session. */
  origin: { stamp: AzureTimestamp; text: string } | undefined;
  numCallsWithoutPrompt: number;
  numToolBatches: number;
  toolSeconds: number;
}

interface Call {
  readonly path: string;
  readonly startSeconds: number;
  readonly durationSeconds: number;
  readonly model: string;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly cachedTokens: number;
}

export function mapCopilotSession(
  obj: Record<string, unknown>,
  ctx: CopilotContext,
): { sessionId: string; requests: TraceRequest[] } {
  const sessionId = checkString(obj.session_id, 'session_id');
  const date = obj.date === undefined || obj.date === null ? undefined : checkDate(obj.date);
  const calls: Call[] = [];
  const turns = checkArray(obj.turns, 'turns');
  turns.forEach((rawTurn, i) => {
    const turn = checkRecord(rawTurn, `turns[${i}]`);
    listOf(turn.llm_calls, `turns[${i}].llm_calls`).forEach((raw, j) => {
      const path = `turns[${i}].llm_calls[${j}]`;
      calls.push(readCall(checkRecord(raw, path), path, ctx, date));
    });
    listOf(turn.tool_batches, `turns[${i}].tool_batches`).forEach((raw, j) => {
      const path = `turns[${i}].tool_batches[${j}]`;
      const batch = checkRecord(raw, path);
      stamp(batch.timestamp, `${path}.timestamp`);
      ctx.toolSeconds += checkNumber(batch.duration_ms, `${path}.duration_ms`, 0) / 1000;
      listOf(batch.function_calls, `${path}.function_calls`);
      ctx.numToolBatches += 1;
    });
  });
  // Stable: calls with equal timestamps keep their file order.
  const ordered = calls.map((c, i) => ({ c, i })).sort((a, b) => a.c.startSeconds - b.c.startSeconds || a.i - b.i);
  ctx.blocks.beginSession();
  const requests: TraceRequest[] = [];
  let previousEndSeconds: number | undefined;
  for (const { c } of ordered) {
    if (c.promptTokens === 0) {
      ctx.numCallsWithoutPrompt += 1;
      continue;
    }
    const turnIndex = requests.length;
    requests.push({
      requestId: `${sessionId}/${turnIndex}`,
      sessionId,
      turnIndex,
      arrivalSeconds: c.startSeconds,
      inputTokens: c.promptTokens,
      outputTokens: c.completionTokens,
      blockHashes: ctx.blocks.forCall(c.model, c.promptTokens, c.cachedTokens),
      blockTokens: ctx.blocks.blockTokens,
      ...(previousEndSeconds === undefined
        ? {}
        : { gapAfterPreviousSeconds: Math.max(0, c.startSeconds - previousEndSeconds) }),
    });
    previousEndSeconds = c.startSeconds + c.durationSeconds;
  }
  return { sessionId, requests };
}

function readCall(
  call: Record<string, unknown>,
  path: string,
  ctx: CopilotContext,
  date: AzureTimestamp | undefined,
): Call {
  const when = stamp(call.timestamp, `${path}.timestamp`);
  if (ctx.origin === undefined) {
    const midnight = date ?? { wholeSeconds: Math.floor(when.wholeSeconds / 86_400) * 86_400, fractionSeconds: 0 };
    ctx.origin = { stamp: midnight, text: new Date(midnight.wholeSeconds * 1000).toISOString() };
  }
  const startSeconds = secondsBetween(when, ctx.origin.stamp);
  if (startSeconds < 0) {
    throw new FieldProblem(
      `${path}.timestamp`,
      `${show(call.timestamp)} is before the trace origin ${ctx.origin.text} (midnight UTC of the first session's date); put the shards of several days in date order`,
    );
  }
  const tokens = checkRecord(call.tokens, `${path}.tokens`);
  const promptTokens = checkInteger(tokens.prompt, `${path}.tokens.prompt`, 0);
  const cached =
    tokens.cached === undefined || tokens.cached === null ? 0 : checkInteger(tokens.cached, `${path}.tokens.cached`, 0);
  if (cached > promptTokens) {
    throw new FieldProblem(`${path}.tokens.cached`, `must be ≤ tokens.prompt (${promptTokens}), got ${cached}`);
  }
  return {
    path,
    startSeconds,
    durationSeconds: checkNumber(call.duration_ms, `${path}.duration_ms`, 0) / 1000,
    model: call.model === undefined || call.model === null ? '' : checkString(call.model, `${path}.model`),
    promptTokens,
    completionTokens: checkInteger(tokens.completion, `${path}.tokens.completion`, 0),
    cachedTokens: cached,
  };
}

function stamp(value: unknown, field: string): AzureTimestamp {
  const parsed = typeof value === 'string' ? parseIsoTimestamp(value) : undefined;
  if (parsed === undefined) {
    const got = value === undefined ? 'it is missing' : `got ${show(value)}`;
    throw new FieldProblem(field, `must be an ISO-8601 timestamp like 2026-06-01T10:00:00.125Z, ${got}`);
  }
  return parsed;
}

function checkDate(value: unknown): AzureTimestamp {
  const parsed = typeof value === 'string' ? parseUtcDate(value) : undefined;
  if (parsed === undefined) throw new FieldProblem('date', `must be a date YYYY-MM-DD, got ${show(value)}`);
  return parsed;
}

/** An array, with absent or null read as empty (the dataset's loader does `turn.get("llm_calls") or []`). */
function listOf(value: unknown, field: string): unknown[] {
  return value === undefined || value === null ? [] : checkArray(value, field);
}
