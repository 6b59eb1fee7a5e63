import type * as ort from 'onnxruntime-node';

/**
 * What onnxruntime's idle intra-op workers do between parallel sections (session options):
 *
 *   always  spin-wait (onnxruntime's default). After a run ends the workers keep spinning:
 *           measured ≈ 30 ms of CPU per run on this machine, i.e. one of its 2 cores busy for
 *           ~30 ms after every step, taken from whatever runs next (another session of the same
 *           process — a decode step right after another session's run took 18 ms instead of
 *           10 — or another process: router, pool, workers).
 *   run     spin during a run, stop when it returns (`session.force_spinning_stop`). Back-to-back
 *           decode steps run as fast as with `always` (measured within noise) and nothing spins
 *           between runs. The default.
 *   never   block between parallel sections (`session.intra_op.allow_spinning` = 0): every
 *           parallel node pays a thread wake-up; back-to-back 16k-context decode steps measured
 *           ≈ 10 % slower than with `run`.
 */
export type Spinning = 'always' | 'run' | 'never';

export const DEFAULT_SPINNING: Spinning = 'run';

/** Session options selecting `spinning` (merge into InferenceSession.SessionOptions). */
export function spinningOptions(spinning: Spinning): Pick<ort.InferenceSession.SessionOptions, 'extra'> {
  switch (spinning) {
    case 'always':
      return {};
    case 'run':
      return { extra: { session: { force_spinning_stop: '1' } } };
    case 'never':
      return { extra: { session: { intra_op: { allow_spinning: '0' } } } };
  }
}
