import { formatAgentHeader, formatAgentTurn } from '../readers/agent-format.js';
import type { SynthesizedTrace } from './synthesize-agent-trace.js';

/** The native JSONL text: header line, one line per turn, final newline. */
export function formatAgentTrace(trace: SynthesizedTrace): string {
  const lines = [formatAgentHeader(trace.header), ...trace.turns.map((t) => formatAgentTurn(t))];
  return `${lines.join('\n')}\n`;
}
