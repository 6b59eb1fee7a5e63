// Reading a replay.json back (what replayJson wrote), so a run can be compared with another later: a
// simulated run beside the real one it models (`oicf simulate --vs <replay.json>`).
import type { ReplayRun } from './replay-record.js';
import { REPLAY_REPORT_FORMAT, REPLAY_REPORT_VERSION } from './report-files.js';

export type ReadReplayResult = { ok: true; run: ReplayRun } | { ok: false; error: string };

/** Parses the text of a replay.json; `source` names it in errors. */
export function readReplayJson(text: string, source: string): ReadReplayResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `${source}: not JSON (${(err as Error).message})` };
  }
  if (typeof json !== 'object' || json === null) return { ok: false, error: `${source}: not a JSON object` };
  const o = json as Record<string, unknown>;
  if (o.format !== REPLAY_REPORT_FORMAT) {
    return {
      ok: false,
      error: `${source}: format is ${JSON.stringify(o.format)}, expected '${REPLAY_REPORT_FORMAT}' (a replay.json)`,
    };
  }
  if (o.version !== REPLAY_REPORT_VERSION) {
    return {
      ok: false,
      error: `${source}: version ${JSON.stringify(o.version)}, this build reads ${REPLAY_REPORT_VERSION}`,
    };
  }
  for (const key of ['meta', 'requests', 'clientTimeline', 'metrics']) {
    if (typeof o[key] !== 'object' || o[key] === null) return { ok: false, error: `${source}: '${key}' is missing` };
  }
  if (!Array.isArray(o.requests)) return { ok: false, error: `${source}: 'requests' is not a list` };
  if (typeof o.durationSeconds !== 'number' || typeof o.numPlanned !== 'number') {
    return { ok: false, error: `${source}: 'durationSeconds' and 'numPlanned' must be numbers` };
  }
  return {
    ok: true,
    run: {
      meta: o.meta as ReplayRun['meta'],
      numPlanned: o.numPlanned,
      durationSeconds: o.durationSeconds,
      interrupted: o.interrupted === true,
      records: o.requests as ReplayRun['records'],
      clientTimeline: o.clientTimeline as ReplayRun['clientTimeline'],
      metrics: o.metrics as ReplayRun['metrics'],
    },
  };
}
