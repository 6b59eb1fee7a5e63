import { FieldProblem, parseJsonLine } from './field-checks.js';
import { JsonRecordAssembler } from './json-record-assembler.js';
import { guard, type LineOutcome, type LineParser } from './line-parser.js';
import { WekaBlockIds } from './weka-block-ids.js';
import { mapWekaConversation } from './weka-conversation.js';

/**
 * kv-cache-tester / agentic-coding-analysis Claude Code conversations (weka-conversation.ts): one JSON
 * object per conversation, either one per line (JSONL, or a single compact trace file) or
 * pretty-printed over many lines. A bad conversation is reported on the line it starts on, with the
 * path of the bad field (`requests[3].hash_ids`); in skip mode the whole conversation is dropped.
 * Conversation ids must be unique in one input (they become session ids).
 */
export function createWekaParser(): LineParser {
  const assembler = new JsonRecordAssembler();
  const ids = new WekaBlockIds();
  const seen = new Map<string, number>();
  let numConversations = 0;
  let numSubagents = 0;
  const complete = (outcome: ReturnType<JsonRecordAssembler['push']>): LineOutcome => {
    if (outcome.kind === 'none') return { kind: 'ignored' };
    if (outcome.kind === 'error') {
      return { kind: 'issue', code: 'invalid-line', reason: outcome.reason, lineNumber: outcome.startLine };
    }
    const result = guard(() => {
      const obj = parseJsonLine(outcome.text);
      const mapped = mapWekaConversation(obj, ids, `conversation-${numConversations}`);
      const earlier = seen.get(mapped.sessionId);
      if (earlier !== undefined) {
        throw new FieldProblem('id', `'${mapped.sessionId}' was already used by the conversation on line ${earlier}`);
      }
      seen.set(mapped.sessionId, outcome.startLine);
      numConversations += 1;
      numSubagents += mapped.numSubagents;
      return { kind: 'requests', requests: mapped.requests };
    });
    return result.kind === 'issue' ? { ...result, lineNumber: outcome.startLine } : result;
  };
  return {
    format: 'weka',
    parse: (line, lineNumber) => complete(assembler.push(line, lineNumber)),
    finish: () => complete(assembler.finish()),
    notes: () =>
      numSubagents === 0
        ? []
        : [
            `${numSubagents} subagent(s) of ${numConversations} conversation(s) replay as their own sessions ('<id>/sub<k>')`,
          ],
  };
}
