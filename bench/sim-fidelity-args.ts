// The fidelity bench's command-line options (bench/sim-fidelity.bench.ts; its header comment shows the usage).
import type { ParseArgsConfig } from 'node:util';

export const FIDELITY_OPTIONS = {
  trace: { type: 'string' },
  modes: { type: 'string', default: 'a,b' },
  'max-requests': { type: 'string', default: '300' },
  'token-scale': { type: 'string', default: 'auto' },
  policy: { type: 'string', default: 'oicf-cost' },
  seed: { type: 'string', default: '1' },
  /** Time compression of the replay (the setup: 1). */
  speed: { type: 'string', default: '1' },
  'step-time-file': { type: 'string', default: '.oicf/step-time.json' },
  out: { type: 'string', default: 'bench/results' },
  /** Window start in trace seconds (a different window than the default validates a fit). */
  'start-seconds': { type: 'string', default: '0' },
  'fit-host': { type: 'boolean', default: false },
  /** Cores the twin's host has (default this machine's): for sensitivity runs, e.g. with --sim-only. */
  cores: { type: 'string' },
  /** How the twin shares them: per-core (default) or shared (processor sharing, the twin before round 5). */
  'host-scheduling': { type: 'string', default: 'per-core' },
  /** The fit's interval: consecutive 1-s samples merged up to this many seconds. */
  'fit-group-seconds': { type: 'string', default: '5' },
  'host-cost-file': { type: 'string', default: '.oicf/host-cost.json' },
  'no-host-cost': { type: 'boolean', default: false },
  /** Re-run only the twin against the real runs an earlier bench run wrote (no cluster is launched). */
  'sim-only': { type: 'boolean', default: false },
  /** Before each real run, wait (up to --wait-max-seconds) until the 1-minute load average is below this. */
  'wait-load': { type: 'string' },
  'wait-max-seconds': { type: 'string', default: '1800' },
  /** Before each real run, wait (up to --quiet-max-seconds) until the host's other tasks use ≤ this many cores. */
  'quiet-other-cores': { type: 'string' },
  'quiet-max-seconds': { type: 'string', default: '45' },
  /** Where the real runs are (default <out>/<name>): e.g. --sim-only against another invocation's runs. */
  'runs-dir': { type: 'string' },
  /** Fresh real clusters per mode in this invocation (modes alternate: a b a b …). */
  'real-runs': { type: 'string', default: '1' },
  /** Keep the real runs earlier invocations recorded in the runs folder and add these after them. */
  append: { type: 'boolean', default: false },
  /** With --fit-host: calibrate without the fitting run's measured foreign load (as before round 6). */
  'fit-without-foreign': { type: 'boolean', default: false },
  /** With --fit-host: leave the measured loop flush and finish work out (the fit as before round 6; an ablation). */
  'no-loop-flush': { type: 'boolean', default: false },
  /**
   * With --fit-host: also take the measured pace work (host-cost decode.loopPace). Off by default: window 7b's keep
   * rule did not keep it (bench/results/sim-fidelity-r7b/README.md).
   */
  'loop-pace': { type: 'boolean', default: false },
  /** The default since window 7b (kept so that window's recorded commands still run). */
  'no-loop-pace': { type: 'boolean', default: false },
  /**
   * With --fit-host: price the prefill workers' service as before round 7c (the calibrated kernel's level and the
   * regression's per-step CPU) instead of from the fitting run's loop meter (sim-fidelity-prefill-meter.ts).
   */
  'no-prefill-meter': { type: 'boolean', default: false },
  /**
   * With --fit-host: also take the prefill meter's send part (host-cost prefill.sendCpu). Off by default: window 7c's
   * rule S did not keep it (bench/results/sim-fidelity-r7c/README.md).
   */
  'send-meter': { type: 'boolean', default: false },
  /** The default since window 7c (kept so that window's recorded commands still run). */
  'no-send-meter': { type: 'boolean', default: false },
  /**
   * With --fit-host: also price the decode worker's first build of each decode graph (host-cost decode.graphBuild)
   * from this file (bench/sim-fidelity-graph-build.ts: timed on this machine, not fitted). Round 8's variant.
   */
  'graph-build-file': { type: 'string' },
  /** Only the real runs (no twin): the locked half of bench/sim-fidelity-window.ts. */
  'real-only': { type: 'boolean', default: false },
} satisfies ParseArgsConfig['options'];
