import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { buildDecodeGraph, buildPrefillGraph } from '../model/build-graphs.js';
import { DEFAULT_K_TILE_TOKENS } from '../model/cache-inputs.js';
import { configKey, type TinyModelConfig } from '../model/config.js';
import { WeightStore } from '../model/weight-store.js';
import { type Graph, withoutWeightData } from '../onnx/graph.js';
import { encodeModel } from '../onnx/onnx-codec.js';
import { DEFAULT_SPINNING, type Spinning, spinningOptions } from './spinning.js';

export interface SessionSettings {
  /** onnxruntime intra-op threads (default 2: this machine's cores). */
  readonly intraOpNumThreads: number;
  /** Idle-worker behaviour (default 'run': spin during a run only; see spinning.ts). */
  readonly spinning?: Spinning;
  /** Tokens per sealed K tile the graphs' cache inputs use (cache-inputs.ts; default 256). */
  readonly kTileTokens?: number;
  /** When set, every session records an onnxruntime profile; files go under this directory. */
  readonly profileDir?: string;
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

  async close(): Promise<void> {
    for (const s of await this.all()) await s.session.release();
    this.sessions.clear();
    this.stores.clear();
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
    const bytes = encodeModel(graph);
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
      ...spinningOptions(this.settings.spinning ?? DEFAULT_SPINNING),
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
