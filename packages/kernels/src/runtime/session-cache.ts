import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { buildDecodeGraph, buildPrefillGraph } from '../model/build-graphs.js';
import { DEFAULT_K_TILE_TOKENS } from '../model/cache-inputs.js';
import { configKey, type TinyModelConfig } from '../model/config.js';
import { WeightStore } from '../model/weight-store.js';
import { type Graph, withoutWeightData } from '../onnx/graph.js';
import { encodeModel } from '../onnx/onnx-codec.js';
import { DEFAULT_SPINNING, type Spinning, spinningOptions } from './spinning.js';
import { WeightsFile } from './weights-file.js';

/**
 * Where a session's weights live:
 * - `file`: one external-data file per model config (weights-file.ts), memory-mapped by every session, so
 *   a session's ModelProto holds no weight bytes and onnxruntime reads the weights from the shared mapping;
 * - `embedded` (default): each session's ModelProto carries its own copy of the weights. `file` cut a tiny-gqa
 *   worker's warm CPU and memory (bench/results/warm-r9-weights.md) but failed its judged step-time bar, so it is
 *   opt-in.
 * Either way onnxruntime prepacks each session's MatMul/Gemm weights into that session's own buffers (a copy per
 * session) unless `prepackWeights` is false; see SessionSettings.prepackWeights.
 */
export type WeightsPlacement = 'file' | 'embedded';

export interface SessionSettings {
  /** onnxruntime intra-op threads (default 2: this machine's cores). */
  readonly intraOpNumThreads: number;
  /** Idle-worker behaviour (default 'run': spin during a run only; see spinning.ts). */
  readonly spinning?: Spinning;
  /** Tokens per sealed K tile the graphs' cache inputs use (cache-inputs.ts; default 256). */
  readonly kTileTokens?: number;
  /** When set, every session records an onnxruntime profile; files go under this directory. */
  readonly profileDir?: string;
  /** Where the weights live (default 'embedded'). */
  readonly weights?: WeightsPlacement;
  /** Parent folder of the weights files (default os.tmpdir()). */
  readonly weightsDir?: string;
  /**
   * Whether onnxruntime prepacks constant GEMM weights per session (default true; false sets
   * session.disable_prepacking). Off, sessions with `file` weights share one copy of every weight, but the MLAS GEMMs
   * then pack on every call: round 9 measured short-context decode steps of tiny-gqa ≈ 40–50 % slower (see
   * bench/results/warm-r9-weights.md).
   */
  readonly prepackWeights?: boolean;
}

export interface CachedSession {
  readonly key: string;
  /** The graph's structure (weight bytes dropped; see withoutWeightData). */
  readonly graph: Graph;
  readonly session: ort.InferenceSession;
  /** Bytes of the ModelProto the session was created from. */
  readonly modelBytes: number;
  /** File name prefix of this session's profile (in settings.profileDir), when profiling. */
  readonly profilePrefix?: string;
}

export type GraphRequest =
  | { readonly kind: 'prefill'; readonly logits: 'all' | 'last' }
  | { readonly kind: 'decode'; readonly batch: number; readonly short?: boolean };

/**
 * onnxruntime sessions keyed by (model config, graph kind, decode batch size / prefill logits
 * mode); one cache serves one K tile size (settings.kTileTokens), as its runner's sequences use. Graphs are built on first use; one WeightStore per config keeps every graph's weights
 * identical. Creation is serialized per key so concurrent callers share one session.
 */
export class SessionCache {
  private readonly sessions = new Map<string, Promise<CachedSession>>();
  private readonly stores = new Map<string, WeightStore>();
  private profileCounter = 0;
  private weightsFile: WeightsFile | undefined;

  private readonly kTileTokens: number;

  constructor(readonly settings: SessionSettings) {
    this.kTileTokens = settings.kTileTokens ?? DEFAULT_K_TILE_TOKENS;
  }

  get(config: TinyModelConfig, request: GraphRequest): Promise<CachedSession> {
    const key = sessionKey(config, request);
    let entry = this.sessions.get(key);
    if (entry === undefined) {
      entry = this.create(key, this.store(configKey(config), config), request);
      this.sessions.set(key, entry);
      entry.catch(() => this.sessions.delete(key));
    }
    return entry;
  }

  /**
   * A new session of the same graph that records an onnxruntime profile under `profilePath`
   * (a file prefix), not cached: the caller runs it, ends profiling and releases it.
   */
  profiled(config: TinyModelConfig, request: GraphRequest, profilePath: string): Promise<CachedSession> {
    return this.create(sessionKey(config, request), this.store(configKey(config), config), request, profilePath);
  }

  /** Every session created so far (settled ones). */
  async all(): Promise<CachedSession[]> {
    const settled = await Promise.allSettled(this.sessions.values());
    return settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  }

  /** Bytes of the shared weights files written so far (0 with embedded weights). */
  get weightsFileBytes(): number {
    return this.weightsFile?.fileBytes ?? 0;
  }

  /** Releases every session, then removes the weights files. */
  async close(): Promise<void> {
    for (const s of await this.all()) await s.session.release();
    this.sessions.clear();
    this.stores.clear();
    this.weightsFile?.close();
    this.weightsFile = undefined;
  }

  private store(ck: string, config: TinyModelConfig): WeightStore {
    let s = this.stores.get(ck);
    if (s === undefined) {
      s = new WeightStore(config);
      this.stores.set(ck, s);
    }
    return s;
  }

  private async create(
    key: string,
    store: WeightStore,
    request: GraphRequest,
    profilePath?: string,
  ): Promise<CachedSession> {
    const graph =
      request.kind === 'prefill'
        ? buildPrefillGraph(store, { logits: request.logits, kTileTokens: this.kTileTokens })
        : buildDecodeGraph(store, request.batch, { kTileTokens: this.kTileTokens, short: request.short === true });
    if (this.settings.weights === 'file') this.weightsFile ??= new WeightsFile(this.settings.weightsDir ?? tmpdir());
    const weightsFile = this.weightsFile;
    const bytes = encodeModel(graph, weightsFile?.fileFor(configKey(store.config)));
    const spinning = spinningOptions(this.settings.spinning ?? DEFAULT_SPINNING);
    const profilePrefix =
      this.settings.profileDir !== undefined && profilePath === undefined
        ? `${graph.name}.${this.profileCounter++}`
        : undefined;
    const options: ort.InferenceSession.SessionOptions = {
      intraOpNumThreads: this.settings.intraOpNumThreads,
      // One node at a time: measured faster than executionMode 'parallel' with 2 inter-op
      // threads (10.4 vs 13.0 ms per 16k-context decode step of the per-head graph).
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      extra: {
        ...spinning.extra,
        session: {
          ...(spinning.extra?.session as object | undefined),
          ...(weightsFile !== undefined ? { model_external_initializers_file_folder_path: weightsFile.dir } : {}),
          ...(this.settings.prepackWeights === false ? { disable_prepacking: '1' } : {}),
        },
      },
      ...(this.settings.profileDir !== undefined && profilePrefix !== undefined
        ? { enableProfiling: true, profileFilePrefix: join(this.settings.profileDir, profilePrefix) }
        : {}),
      ...(profilePath !== undefined ? { enableProfiling: true, profileFilePrefix: profilePath } : {}),
    };
    const session = await ort.InferenceSession.create(bytes, options);
    return {
      key,
      graph: withoutWeightData(graph),
      session,
      modelBytes: bytes.byteLength,
      ...(profilePrefix ? { profilePrefix } : {}),
    };
  }
}

/** The cache key of a graph: the config plus graph kind and decode batch / prefill logits mode. */
export function sessionKey(config: TinyModelConfig, request: GraphRequest): string {
  const kind =
    request.kind === 'prefill'
      ? `prefill:${request.logits}`
      : `decode:${request.batch}${request.short === true ? ':short' : ''}`;
  return `${configKey(config)}|${kind}`;
}
