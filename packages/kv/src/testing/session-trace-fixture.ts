/**
 * A tiny generated trace in Mooncake JSONL shape, for unit tests that need prefix reuse with
 * a known answer. Sessions take turns round-robin (turn t of every session, then turn t+1);
 * each turn's prompt is the shared system block (id 0), every earlier turn's blocks, and
 * `blocksPerTurn` new blocks — the way an agent's context grows.
 *
 * Hash id of session s, turn u, new block j: 1 + (s·numTurns + u)·blocksPerTurn + j.
 * input_length = 512·(number of ids) − 100, so the last block is partial, as in real traces.
 *
 * Unlimited-cache hits, by hand: request (s, t) finds its system block and its previous turns
 * cached, 1 + t·b blocks, except the very first request, which finds nothing:
 *   hits = S·Σ_{t<T} (1 + t·b) − 1,   blocks = S·Σ_{t<T} (1 + (t+1)·b).
 */

export interface FixtureRow {
  readonly timestamp: number;
  readonly input_length: number;
  readonly output_length: number;
  readonly hash_ids: readonly number[];
}

export interface SessionFixtureOptions {
  numSessions?: number;
  numTurns?: number;
  blocksPerTurn?: number;
  /** Milliseconds between consecutive requests. */
  gapMs?: number;
}

export function generateSessionFixture(options: SessionFixtureOptions = {}): FixtureRow[] {
  const { numSessions = 3, numTurns = 4, blocksPerTurn = 2, gapMs = 1000 } = options;
  const rows: FixtureRow[] = [];
  for (let t = 0; t < numTurns; t++) {
    for (let s = 0; s < numSessions; s++) {
      const ids = [0];
      for (let u = 0; u <= t; u++) {
        for (let j = 0; j < blocksPerTurn; j++) ids.push(1 + (s * numTurns + u) * blocksPerTurn + j);
      }
      rows.push({
        timestamp: rows.length * gapMs,
        input_length: ids.length * 512 - 100,
        output_length: 50,
        hash_ids: ids,
      });
    }
  }
  return rows;
}

/** JSONL text of the rows, one object per line, with a final newline. */
export function toJsonl(rows: readonly FixtureRow[]): string {
  return rows
    .map((r) => JSON.stringify(r))
    .join('\n')
    .concat('\n');
}
