import { describe, expect, it } from 'vitest';
import { readReplayJson } from './read-replay-json.js';
import { summarizeReplay } from './replay-summary.js';
import { replayJson, stringifyReport } from './report-files.js';
import { makeRecord, makeRun } from './testing/make-run.js';

describe('readReplayJson', () => {
  it('reads back the run replayJson wrote', () => {
    const run = makeRun([makeRecord({ requestId: 'a' }), makeRecord({ requestId: 'b', status: 'rejected' })]);
    const text = stringifyReport(replayJson(run, summarizeReplay(run, { ttftSeconds: 1, tpotSeconds: null })));
    const back = readReplayJson(text, 'replay.json');
    expect(back).toEqual({ ok: true, run });
  });

  it('names what is wrong', () => {
    expect(readReplayJson('{', 'x.json')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^x\.json: not JSON/),
    });
    expect(readReplayJson('{"format":"other"}', 'x.json')).toMatchObject({
      ok: false,
      error: expect.stringContaining("expected 'oicf-replay-report'"),
    });
  });
});
