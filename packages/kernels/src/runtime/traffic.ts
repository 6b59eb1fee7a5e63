import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as ort from 'onnxruntime-node';
import type { TinyModelConfig } from '../model/config.js';
import type { CachedSession, GraphRequest, SessionCache } from './session-cache.js';
import { sessionKey } from './session-cache.js';

/**
 * Bytes one step actually moved through its kernels, measured from an onnxruntime profile of the
 * graph as it executed (after onnxruntime's fusions), not counted from our graph. Each profiled
 * node event carries `activation_size` (bytes of its non-initializer inputs) and `output_size`
 * (bytes it wrote). Weights are not in those figures — onnxruntime prepacks most of them at load
 * and a node's `parameter_size` shows only what was not prepacked — so the weights read are the
 * counted weight bytes (each weight once). Cache effects are invisible here: these are the bytes
 * the kernels touched, an upper bound on what crossed the memory bus.
 */
export interface MeasuredTraffic {
  /** Σ over executed nodes of activation_size + output_size. */
  readonly activationBytes: number;
  /** Counted: weight bytes read (each weight once). */
  readonly weightBytes: number;
  /** activationBytes + weightBytes. */
  readonly movedBytes: number;
  /** Kernel events in the profiled run (nodes onnxruntime executed, fused ones once). */
  readonly numNodesExecuted: number;
}

interface NodeEvent {
  readonly cat?: string;
  readonly name?: string;
  readonly args?: { readonly activation_size?: string; readonly output_size?: string };
}

/** The traffic of the first run in a profile's text (node events before its first `model_run`). */
export function trafficFromProfile(text: string, weightBytes: number, file = '(profile)'): MeasuredTraffic {
  const events: unknown = JSON.parse(text);
  if (!Array.isArray(events)) throw new Error(`${file}: an onnxruntime profile is a JSON array of events`);
  let activationBytes = 0;
  let numNodesExecuted = 0;
  for (const e of events as NodeEvent[]) {
    if (e.cat === 'Session' && e.name === 'model_run') break;
    if (e.cat !== 'Node' || typeof e.name !== 'string' || !e.name.endsWith('_kernel_time')) continue;
    const read = Number(e.args?.activation_size ?? Number.NaN);
    const written = Number(e.args?.output_size ?? Number.NaN);
    if (!Number.isFinite(read) || !Number.isFinite(written))
      throw new Error(`${file}: node event ${e.name} has no activation_size/output_size`);
    activationBytes += read + written;
    numNodesExecuted += 1;
  }
  return { activationBytes, weightBytes, movedBytes: activationBytes + weightBytes, numNodesExecuted };
}

/**
 * One-shot profiled runs of a graph, for measuring traffic without profiling every step.
 * `arm(request)` starts creating a profiled session of that graph in the background (session
 * creation costs 0.1–3 s of CPU for the tiny graphs, so it is kept off the step path); the next
 * step of the same graph that finds it ready runs once more on it with the same feeds, and the
 * session is then ended, parsed, deleted and released. Nothing accumulates between probes.
 */
export class TrafficProbe {
  private pending:
    | { key: string; dir: string; ready: boolean; session: Promise<CachedSession | undefined> }
    | undefined;

  constructor(private readonly sessions: SessionCache) {}

  /** Prepares a probe of `request`'s graph (replacing another pending one); resolves when ready. */
  async arm(config: TinyModelConfig, request: GraphRequest): Promise<void> {
    const key = sessionKey(config, request);
    if (this.pending?.key === key) {
      await this.pending.session;
      return;
    }
    await this.discard();
    const dir = mkdtempSync(join(tmpdir(), 'oicf-traffic-'));
    const entry = {
      key,
      dir,
      ready: false,
      session: this.sessions.profiled(config, request, join(dir, 'probe')).then(
        (s) => {
          entry.ready = true;
          return s;
        },
        () => undefined,
      ),
    };
    this.pending = entry;
    await entry.session;
  }

  /** Whether a ready probe waits for `request`'s graph. */
  readyFor(config: TinyModelConfig, request: GraphRequest): boolean {
    return this.pending?.ready === true && this.pending.key === sessionKey(config, request);
  }

  /** Runs the ready probe on `feeds` and returns the traffic; undefined when none is ready for this graph. */
  async measure(
    config: TinyModelConfig,
    request: GraphRequest,
    feeds: Record<string, ort.Tensor>,
    weightBytes: () => number,
  ): Promise<MeasuredTraffic | undefined> {
    const p = this.pending;
    if (p === undefined || !this.readyFor(config, request)) return undefined;
    this.pending = undefined;
    const cached = await p.session;
    if (cached === undefined) return undefined;
    try {
      await cached.session.run(feeds);
      cached.session.endProfiling();
      const file = readdirSync(p.dir).find((f) => f.endsWith('.json'));
      if (file === undefined) return undefined;
      return trafficFromProfile(readFileSync(join(p.dir, file), 'utf8'), weightBytes(), file);
    } finally {
      await cached.session.release();
      rmSync(p.dir, { recursive: true, force: true });
    }
  }

  /** Releases a pending probe. */
  async discard(): Promise<void> {
    const p = this.pending;
    this.pending = undefined;
    if (p === undefined) return;
    const s = await p.session;
    await s?.session.release();
    rmSync(p.dir, { recursive: true, force: true });
  }
}
