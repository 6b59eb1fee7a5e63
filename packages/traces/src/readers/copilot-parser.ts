import { CachedPrefixBlocks } from './cached-prefix-blocks.js';
import { type CopilotContext, mapCopilotSession } from './copilot-session.js';
import { FieldProblem, parseJsonLine } from './field-checks.js';
import { JsonRecordAssembler } from './json-record-assembler.js';
import { guard, type LineOutcome, type LineParser } from './line-parser.js';

const formatInteger = (n: number): string => n.toLocaleString('en-US');

/**
 * GitHub Copilot coding-agent sessions (copilot-session.ts): gzip JSONL shards, one session per line
 * (gzip is undone by the file adapter; a pretty-printed session spanning lines is read too). A bad
 * session is reported on its line with the path of the bad field (`turns[1].llm_calls[4].tokens.cached`);
 * in skip mode the whole session is dropped. Session ids must be unique in one input.
 */
export function createCopilotParser(blocks = new CachedPrefixBlocks()): LineParser {
  const assembler = new JsonRecordAssembler();
  const ctx: CopilotContext = {
    blocks,
    origin: undefined,
    numCallsWithoutPrompt: 0,
    numToolBatches: 0,
    toolSeconds: 0,
  };
  const seen = new Map<string, number>();
  const complete = (outcome: ReturnType<JsonRecordAssembler['push']>): LineOutcome => {
    if (outcome.kind === 'none') return { kind: 'ignored' };
    if (outcome.kind === 'error') {
      return { kind: 'issue', code: 'invalid-line', reason: outcome.reason, lineNumber: outcome.startLine };
    }
    const result = guard(() => {
      const mapped = mapCopilotSession(parseJsonLine(outcome.text), ctx);
      const earlier = seen.get(mapped.sessionId);
      if (earlier !== undefined) {
        throw new FieldProblem(
          'session_id',
          `'${mapped.sessionId}' was already used by the session on line ${earlier}`,
        );
      }
      seen.set(mapped.sessionId, outcome.startLine);
      return { kind: 'requests', requests: mapped.requests };
    });
    return result.kind === 'issue' ? { ...result, lineNumber: outcome.startLine } : result;
  };
  return {
    format: 'copilot',
    parse: (line, lineNumber) => complete(assembler.push(line, lineNumber)),
    finish: () => complete(assembler.finish()),
    notes: () => {
      const notes = [
        `block ids synthesized from the cached-token counts, ${blocks.blockTokens} tokens per block (docs/traces.md §2.5)` +
          (ctx.origin === undefined ? '' : `; arrivals in seconds after ${ctx.origin.text}`),
      ];
      if (ctx.numCallsWithoutPrompt > 0) {
        notes.push(
          `${formatInteger(ctx.numCallsWithoutPrompt)} LLM call(s) with 0 prompt tokens left out (nothing to prefill)`,
        );
      }
      if (blocks.numCallsWithUnplacedTokens > 0) {
        notes.push(
          `${formatInteger(blocks.numUnplacedCachedTokens)} cached tokens in ${formatInteger(blocks.numCallsWithUnplacedTokens)} call(s) ` +
            'exceed the previous same-model prompt of their session and are not shared in the synthesized ids',
        );
      }
      if (ctx.numToolBatches > 0) {
        notes.push(
          `${formatInteger(ctx.numToolBatches)} tool batch(es), ${ctx.toolSeconds.toFixed(1)} s in all, lie in the gaps between calls`,
        );
      }
      return notes;
    },
  };
}
