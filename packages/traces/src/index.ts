export {
  AGENT_TRACE_FORMAT,
  AGENT_TRACE_VERSION,
  type AgentTraceHeader,
  type AgentTurnRecord,
  formatAgentHeader,
  formatAgentTurn,
} from './readers/agent-format.js';
export { type AzureTimestamp, parseAzureTimestamp, secondsBetween } from './readers/azure-timestamp.js';
export { CachedPrefixBlocks, COPILOT_BLOCK_TOKENS } from './readers/cached-prefix-blocks.js';
export { createLineParser } from './readers/create-parser.js';
export { type Detection, detectTraceFormat, FormatSniffer } from './readers/detect-format.js';
export { parseIsoTimestamp } from './readers/iso-timestamp.js';
export { JsonRecordAssembler } from './readers/json-record-assembler.js';
export type { LineIssueOutcome, LineOutcome, LineParser } from './readers/line-parser.js';
export {
  iterateTrace,
  type LineSource,
  type ReadTraceResult,
  readTrace,
  readTraceText,
  splitLines,
} from './readers/read-trace.js';
export { type ReadTraceOptions, TraceLineReader, type TraceReadSummary } from './readers/trace-line-reader.js';
export { type Distribution, interArrivalCv, summarize } from './stats/distribution.js';
export { formatInteger, formatTraceStatsTable, type StatsTableContext } from './stats/format-stats-table.js';
export { computeReuseCeiling, type ReuseCeiling, type ReuseCeilingResult } from './stats/reuse-ceiling.js';
export { computeScaledStats, type ScaledStatsOptions, type ScaledTraceStats } from './stats/scaled-stats.js';
export {
  computeTraceStats,
  DEFAULT_LRU_CAPACITY_BLOCKS,
  type PrefixReuse,
  type TraceStats,
  type TraceStatsOptions,
} from './stats/trace-stats.js';
export { formatAgentTrace } from './synth/format-agent-trace.js';
export { createSeededRandom, mixSeed, type SeededRandom, sampleExponential } from './synth/seeded-random.js';
export { BlockIdAllocator, SessionBlocks } from './synth/session-blocks.js';
export {
  DEFAULT_SECONDS_PER_OUTPUT_TOKEN,
  DEFAULT_SYNTH_BLOCK_TOKENS,
  type SessionSimulator,
  type SynthesizedTrace,
  type SynthesizeOptions,
  synthesizeAgentTrace,
} from './synth/synthesize-agent-trace.js';
export { formatLineIssue, TraceError, type TraceErrorCode, type TraceLineIssue } from './trace-error.js';
export { groupBySession, type SessionGroup } from './transform/group-by-session.js';
export { scaleBlocks } from './transform/scale-blocks.js';
export { scaleTime } from './transform/scale-time.js';
export {
  resolveTokenScale,
  scaleOutputTokens,
  scaleTokens,
  scaleTraceTokens,
  type TokenScale,
} from './transform/scale-tokens.js';
export { type ScaledTrace, scaleTrace, type TokenScaleMode, type TraceScaling } from './transform/scale-trace.js';
export { parseWindow, sortByArrival, type TraceWindow, windowRequests } from './transform/window.js';
export type { BlockHash, TraceFormat, TraceRequest } from './types.js';
export { MOONCAKE_BLOCK_TOKENS, TRACE_FORMATS } from './types.js';
