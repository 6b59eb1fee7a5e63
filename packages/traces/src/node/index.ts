export { type OpenTraceResult, openTraceFile } from './open-trace-file.js';
export { readTraceFile, traceFileLines } from './read-trace-file.js';
export { fixturesDir, sharedTrace, sharedTracesDir } from './shared-traces.js';
