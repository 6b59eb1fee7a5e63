import { type CountOptions, countGraph } from '../count/count-graph.js';
import { DEFAULT_K_TILE_TOKENS, DEFAULT_PREFILL_CHUNK_TOKENS, isShortDecode } from '../model/cache-inputs.js';
import type { TinyModelConfig } from '../model/config.js';
import { kvBytesPerToken, kvStreams } from '../model/kv-layout.js';
import type { Graph } from '../onnx/graph.js';
import { stepFeatures } from '../step-time/step-features.js';
import { decodeFeeds, prefillFeeds, routingOf, tensorData, timedRun, tokensPerExpert, writeNewKv } from './graph-io.js';
import { KernelError } from './kernel-error.js';
import { type ParseOptions, type ProfileSummary, readProfiles } from './profile.js';
import { SequenceKv } from './sequence-kv.js';
import { type CachedSession, type GraphRequest, SessionCache, type WeightsPlacement } from './session-cache.js';
import type { Spinning } from './spinning.js';
import { mergePrefillChunks, type StepOutput } from './step-output.js';
import { type StepCounted, StepStats } from './step-stats.js';
import { type MeasuredTraffic, TrafficProbe } from './traffic.js';

export interface KernelRunnerOptions {
  readonly config: TinyModelConfig;
  /** onnxruntime intra-op threads (default 2). */
  readonly intraOpNumThreads?: number;
  /** What idle onnxruntime workers do (default 'run': spin during a run only; see spinning.ts). */
  readonly spinning?: Spinning;
  /** Tokens per sealed K tile of each sequence's cache (sequence-kv.ts; default 256). */
  readonly kTileTokens?: number;
  /** Tokens reserved per sequence unless `prefill`/`importKv` say otherwise (default min(4096, maxPositions)). */
  readonly maxTokensPerSequence?: number;
  /** Prefill logits for every new token (`all`) or only the last (`last`, default). */
  readonly prefillLogits?: 'all' | 'last';
  /** Longest prefill run as one graph call; longer prompts are chunked (default 1024). */
  readonly prefillChunkTokens?: number;
  /** Record onnxruntime profiles into this directory (see profile.ts). */
  readonly profileDir?: string;
  /** Where the sessions' weights live (session-cache.ts; default 'embedded'; 'file': one shared file per model). */
  readonly weights?: WeightsPlacement;
  /** Parent folder of the shared weights files (default os.tmpdir()). */
  readonly weightsDir?: string;
  /** Whether onnxruntime prepacks GEMM weights per session (session-cache.ts; default true). */
  readonly prepackWeights?: boolean;
}

/**
 * Runs the tiny model's prefill and decode graphs with onnxruntime-node and keeps each
 * sequence's KV cache in one preallocated buffer (see sequence-kv.ts for its layout).
 *
 * A decode step for sequences s_0 … s_{B−1} with cached lengths L_b:
 *
 *   inputs   kv.b<b>.l<l>.<stream>… = seq_b.region(l, stream, …)   ← subarrays, same ArrayBuffer
 *            (row ranges and dims per cache-inputs.ts: K tiles + open rows, V lead + blocks)
 *   graph    batched GEMMs for projections/FFN; one attention branch per sequence
 *   outputs  new_kv.l<l>.<group> [B, streams, width]                 ← O(1) in L_b
 *   runner   seq_b.writeRows(l, stream, L_b, row)                    ← one row per stream
 *            seq_b.numTokens += 1                                    ← seals a K tile every T tokens
 *
 * so no step copies a cache. Sessions are cached per graph (prefill; decode per batch size).
 */
export class KernelRunner {
  readonly config: TinyModelConfig;
  private readonly sessions: SessionCache;
  private readonly sequences = new Map<string, SequenceKv>();
  private readonly maxTokensDefault: number;
  private readonly prefillLogits: 'all' | 'last';
  private readonly prefillChunkTokens: number;
  private readonly profileDir: string | undefined;
  private readonly kTileTokens: number;
  private readonly probe: TrafficProbe;
  private lastRequest: GraphRequest | undefined;
  private closed = false;

  constructor(opts: KernelRunnerOptions) {
    this.config = opts.config;
    this.kTileTokens = opts.kTileTokens ?? DEFAULT_K_TILE_TOKENS;
    if (!Number.isInteger(this.kTileTokens) || this.kTileTokens < 1) {
      throw new KernelError('INVALID_ARGUMENT', `kTileTokens must be a positive integer, got ${opts.kTileTokens}`);
    }
    this.sessions = new SessionCache({
      intraOpNumThreads: opts.intraOpNumThreads ?? 2,
      ...(opts.spinning !== undefined ? { spinning: opts.spinning } : {}),
      kTileTokens: this.kTileTokens,
      ...(opts.profileDir !== undefined ? { profileDir: opts.profileDir } : {}),
      ...(opts.weights !== undefined ? { weights: opts.weights } : {}),
      ...(opts.weightsDir !== undefined ? { weightsDir: opts.weightsDir } : {}),
      ...(opts.prepackWeights !== undefined ? { prepackWeights: opts.prepackWeights } : {}),
    });
    this.maxTokensDefault = Math.min(opts.maxTokensPerSequence ?? 4096, opts.config.maxPositions);
    this.prefillLogits = opts.prefillLogits ?? 'last';
    this.prefillChunkTokens = opts.prefillChunkTokens ?? DEFAULT_PREFILL_CHUNK_TOKENS;
    if (!Number.isInteger(this.prefillChunkTokens) || this.prefillChunkTokens < 1) {
      throw new KernelError(
        'INVALID_ARGUMENT',
        `prefillChunkTokens must be a positive integer, got ${opts.prefillChunkTokens}`,
      );
    }
    this.profileDir = opts.profileDir;
    this.probe = new TrafficProbe(this.sessions);
  }

  /**
   * Prepares a traffic measurement of the graph the last step ran (traffic.ts): a profiled session
   * of that graph is created in the background, and the next step of the same graph runs once
   * more on it and reports `stats.traffic`. Resolves when the probe is ready; false when no step
   * has run yet.
   */
  async armTrafficProbe(): Promise<boolean> {
    if (this.lastRequest === undefined) return false;
    await this.probe.arm(this.config, this.lastRequest);
    return true;
  }

  /** Bytes of KV for `numTokens` tokens over all layers (the unit a KV block transfer moves). */
  kvBlockBytes(numTokens: number): number {
    return numTokens * kvBytesPerToken(this.config);
  }

  /** Tokens cached for `seqId` (0 when unknown). */
  contextLength(seqId: string): number {
    return this.sequences.get(seqId)?.numTokens ?? 0;
  }

  /** The sequence's KV store (for inspection and zero-copy checks). */
  sequence(seqId: string): SequenceKv | undefined {
    return this.sequences.get(seqId);
  }

  /**
   * Forgets tokens after the first `numTokens` of a sequence (their rows are overwritten by the
   * next writes): rollback for speculative decoding, or re-measuring a step at a fixed context.
   */
  truncate(seqId: string, numTokens: number): void {
    const seq = this.sequences.get(seqId);
    if (seq === undefined) throw new KernelError('NOT_FOUND', `truncate: no sequence ${seqId}`);
    if (!Number.isInteger(numTokens) || numTokens < 0 || numTokens > seq.numTokens) {
      throw new KernelError(
        'INVALID_ARGUMENT',
        `truncate ${seqId}: numTokens ${numTokens} not in [0, ${seq.numTokens}]`,
      );
    }
    seq.numTokens = numTokens;
  }

  /** Frees a sequence's KV buffer; false when it did not exist. */
  release(seqId: string): boolean {
    return this.sequences.delete(seqId);
  }

  /** Warms the session cache (graph build + session creation) for these graphs. */
  async warm(decodeBatches: readonly number[] = [1]): Promise<void> {
    await this.session({ kind: 'prefill', logits: this.prefillLogits });
    for (const batch of decodeBatches) {
      await this.session({ kind: 'decode', batch });
      if (this.config.mla === undefined) await this.session({ kind: 'decode', batch, short: true });
    }
  }

  /**
   * Appends `tokenIds` to sequence `seqId` (created with `maxTokens` reserved if new), running
   * prefill over them with the sequence's cached tokens as the prefix. Prompts longer than
   * `prefillChunkTokens` run as consecutive chunks (each over the growing prefix), which bounds
   * the T × (P+T) score matrices; the output then covers the whole call (logits of every chunk
   * with 'all', the last token's with 'last'; seconds and counts summed).
   */
  async prefill(seqId: string, tokenIds: readonly number[], opts: { maxTokens?: number } = {}): Promise<StepOutput> {
    this.checkOpen();
    this.checkTokens(tokenIds, 'tokenIds');
    if (tokenIds.length === 0) throw new KernelError('INVALID_ARGUMENT', `prefill ${seqId}: tokenIds is empty`);
    const seq = this.sequences.get(seqId) ?? this.allocate(seqId, opts.maxTokens ?? this.maxTokensDefault);
    this.checkRoom(seq, tokenIds.length);
    const P = seq.numTokens;
    const chunks: StepOutput[] = [];
    for (let at = 0; at < tokenIds.length; at += this.prefillChunkTokens) {
      chunks.push(await this.prefillChunk(seq, tokenIds.slice(at, at + this.prefillChunkTokens)));
    }
    return mergePrefillChunks(chunks, P, this.prefillLogits, this.config.vocabSize);
  }

  /** One decode step: one new token for each sequence (ids distinct, each with ≥ 1 cached token). */
  async decodeStep(seqIds: readonly string[], tokenIds: readonly number[]): Promise<StepOutput> {
    this.checkOpen();
    if (seqIds.length === 0) throw new KernelError('INVALID_ARGUMENT', 'decodeStep: seqIds is empty');
    if (seqIds.length !== tokenIds.length) {
      throw new KernelError('INVALID_ARGUMENT', `decodeStep: ${seqIds.length} seqIds but ${tokenIds.length} tokenIds`);
    }
    if (new Set(seqIds).size !== seqIds.length)
      throw new KernelError('INVALID_ARGUMENT', 'decodeStep: seqIds repeat a sequence');
    this.checkTokens(tokenIds, 'tokenIds');
    const seqs = seqIds.map((id) => {
      const s = this.sequences.get(id);
      if (s === undefined)
        throw new KernelError('NOT_FOUND', `decodeStep: no sequence ${id}; prefill or importKv it first`);
      if (s.numTokens === 0)
        throw new KernelError('FAILED_PRECONDITION', `decodeStep: sequence ${id} has no cached tokens`);
      this.checkRoom(s, 1);
      return s;
    });
    const B = seqs.length;
    const lengths = seqs.map((s) => s.numTokens);
    // Every sequence shorter than a K tile: the short-context graph (same model, fewer nodes).
    const short = isShortDecode(this.config, lengths, this.kTileTokens);
    const request: GraphRequest = { kind: 'decode', batch: B, short };
    const cached = await this.session(request);
    const feeds = decodeFeeds(this.config, seqs, tokenIds, short);
    const { outputs, seconds } = await timedRun(cached, feeds);
    const moeExperts = routingOf(this.config, outputs);
    const perExpert = moeExperts ? tokensPerExpert(this.config, moeExperts) : undefined;
    const dims = Object.fromEntries(lengths.map((L, b) => [`contextTokens.b${b}`, L]));
    const graph = cached.graph;
    const count = once(() => counted(graph, { dims, ...(perExpert ? { moeTokensPerExpert: perExpert } : {}) }));
    // The probe reads the same feeds before the new rows are written back (inputs are unchanged).
    const traffic = await this.probeTraffic(request, feeds, () => count().totals.weightBytes);
    writeNewKv(this.config, outputs, seqs, 1, 'decode');
    const info = { phase: 'decode' as const, batch: B, numNewTokens: B, contextTokens: lengths, seconds };
    return {
      logits: tensorData(outputs, 'logits'),
      numRows: B,
      stats: new StepStats({ ...info, ...(traffic ? { traffic } : {}) }, count),
      ...(moeExperts ? { moeExperts } : {}),
    };
  }

  /**
   * KV of tokens [fromToken, toToken) of `seqId`, one Uint8Array per layer. Each layer is
   * `[stream][token][element]` fp32 little-endian, streams in kvStreams() order (k0…, v0… or
   * c0, kr0): (toToken − fromToken) · Σ widths · 4 bytes.
   */
  exportKv(seqId: string, fromToken: number, toToken: number): Uint8Array[] {
    const seq = this.sequences.get(seqId);
    if (seq === undefined) throw new KernelError('NOT_FOUND', `exportKv: no sequence ${seqId}`);
    return Array.from({ length: this.config.numLayers }, (_, l) => seq.exportLayer(l, fromToken, toToken));
  }

  /**
   * Writes exported KV (one Uint8Array per layer, exportKv's layout) at tokens starting at
   * `fromToken`, creating the sequence if new. fromToken must not leave a gap (≤ cached
   * length). Returns the sequence's cached length afterwards.
   */
  importKv(seqId: string, fromToken: number, layers: readonly Uint8Array[], opts: { maxTokens?: number } = {}): number {
    this.checkOpen();
    if (layers.length !== this.config.numLayers) {
      throw new KernelError(
        'INVALID_ARGUMENT',
        `importKv ${seqId}: ${layers.length} layers given, model has ${this.config.numLayers}`,
      );
    }
    const seq = this.sequences.get(seqId) ?? this.allocate(seqId, opts.maxTokens ?? this.maxTokensDefault);
    if (!Number.isInteger(fromToken) || fromToken < 0 || fromToken > seq.numTokens) {
      throw new KernelError(
        'INVALID_ARGUMENT',
        `importKv ${seqId}: fromToken ${fromToken} would leave a gap after ${seq.numTokens} cached tokens`,
      );
    }
    const counts = layers.map((bytes, l) => seq.importLayer(l, fromToken, bytes));
    const n = counts[0] ?? 0;
    if (counts.some((c) => c !== n))
      throw new KernelError(
        'INVALID_ARGUMENT',
        `importKv ${seqId}: layers hold different token counts (${counts.join(', ')})`,
      );
    seq.numTokens = Math.max(seq.numTokens, fromToken + n);
    return seq.numTokens;
  }

  /** Releases every session and sequence. */
  async close(): Promise<void> {
    this.closed = true;
    this.sequences.clear();
    await this.probe.discard();
    await this.sessions.close();
  }

  /**
   * Ends profiling on every session (onnxruntime writes `<profileDir>/<graph>.<n>_<time>.json`)
   * and returns each session's graph with its parsed profile (`opts.skipRuns`: leave out each
   * session's first runs, see ParseOptions). Profiling stops for good.
   */
  async endProfiling(opts: ParseOptions = {}): Promise<{ graph: Graph; profile: ProfileSummary }[]> {
    const dir = this.profileDir;
    if (dir === undefined)
      throw new KernelError('FAILED_PRECONDITION', 'endProfiling: the runner was created without profileDir');
    const out: { graph: Graph; profile: ProfileSummary }[] = [];
    for (const s of await this.sessions.all()) {
      s.session.endProfiling();
      const profile = readProfiles(dir, `${s.profilePrefix}_`, opts)[0];
      if (profile !== undefined) out.push({ graph: s.graph, profile });
    }
    return out;
  }

  private session(request: GraphRequest): Promise<CachedSession> {
    this.lastRequest = request;
    return this.sessions.get(this.config, request);
  }

  /** The step's traffic when a probe of its graph is ready (armTrafficProbe), else undefined. */
  private probeTraffic(
    request: GraphRequest,
    feeds: Parameters<TrafficProbe['measure']>[2],
    weightBytes: () => number,
  ): Promise<MeasuredTraffic | undefined> {
    if (!this.probe.readyFor(this.config, request)) return Promise.resolve(undefined);
    return this.probe.measure(this.config, request, feeds, weightBytes);
  }

  private allocate(seqId: string, maxTokens: number): SequenceKv {
    if (maxTokens > this.config.maxPositions) {
      throw new KernelError(
        'INVALID_ARGUMENT',
        `sequence ${seqId}: maxTokens ${maxTokens} exceeds the model's ${this.config.maxPositions} positions`,
      );
    }
    const seq = new SequenceKv(seqId, this.config.numLayers, kvStreams(this.config), maxTokens, this.kTileTokens);
    this.sequences.set(seqId, seq);
    return seq;
  }

  private async prefillChunk(seq: SequenceKv, tokens: readonly number[]): Promise<StepOutput> {
    const P = seq.numTokens;
    const T = tokens.length;
    const request: GraphRequest = { kind: 'prefill', logits: this.prefillLogits };
    const cached = await this.session(request);
    const feeds = prefillFeeds(this.config, seq, tokens);
    const { outputs, seconds } = await timedRun(cached, feeds);
    const moeExperts = routingOf(this.config, outputs);
    const perExpert = moeExperts ? tokensPerExpert(this.config, moeExperts) : undefined;
    const graph = cached.graph;
    const count = once(() =>
      counted(graph, {
        dims: { numNewTokens: T, numPastTokens: P, numContextTokens: P + T },
        ...(perExpert ? { moeTokensPerExpert: perExpert } : {}),
      }),
    );
    const traffic = await this.probeTraffic(request, feeds, () => count().totals.weightBytes);
    writeNewKv(this.config, outputs, [seq], T, 'prefill');
    const logits = tensorData(outputs, 'logits');
    const info = { phase: 'prefill' as const, batch: 1, numNewTokens: T, contextTokens: [P], seconds };
    return {
      logits,
      numRows: logits.length / this.config.vocabSize,
      stats: new StepStats({ ...info, ...(traffic ? { traffic } : {}) }, count),
      ...(moeExperts ? { moeExperts } : {}),
    };
  }

  private checkTokens(ids: readonly number[], field: string): void {
    ids.forEach((t, i) => {
      if (!Number.isInteger(t) || t < 0 || t >= this.config.vocabSize) {
        throw new KernelError(
          'INVALID_ARGUMENT',
          `${field}[${i}] = ${t} is not a token id in [0, ${this.config.vocabSize})`,
        );
      }
    });
  }

  private checkRoom(seq: SequenceKv, numNew: number): void {
    const after = seq.numTokens + numNew;
    if (after > seq.maxTokens) {
      throw new KernelError(
        'RESOURCE_EXHAUSTED',
        `sequence ${seq.id}: ${after} tokens exceed its ${seq.maxTokens} reserved KV tokens`,
      );
    }
  }

  private checkOpen(): void {
    if (this.closed) throw new KernelError('FAILED_PRECONDITION', 'KernelRunner is closed');
  }
}

/** Totals and step-time features of one run of `graph` (one count walk for both). */
function counted(graph: Graph, opts: CountOptions): StepCounted {
  const count = countGraph(graph, opts);
  return { totals: count.totals, features: stepFeatures(graph, count) };
}

/** `fn`, called at most once (later calls return the first result). */
function once<T>(fn: () => T): () => T {
  let done = false;
  let value: T | undefined;
  return () => {
    if (!done) {
      value = fn();
      done = true;
    }
    return value as T;
  };
}
