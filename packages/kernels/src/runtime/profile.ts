import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphCount } from '../count/count-graph.js';

/**
 * onnxruntime's profiler output (SessionOptions.enableProfiling; written by endProfiling) is a
 * Chrome trace: a JSON array of complete events `{cat, name, dur (µs), args}`. Per node and run
 * it emits `<node>_kernel_time` (cat "Node", args.op_name = operator type) and per run one
 * `model_run` (cat "Session"). Node names are ours, except nodes the graph optimizer fused,
 * which carry names and op types of its own (FusedMatMul, QuickGelu, ...).
 */
export interface NodeTiming {
  readonly node: string;
  readonly opType: string;
  /** Kernel invocations recorded (one per run). */
  readonly numCalls: number;
  readonly totalSeconds: number;
}

export interface ProfileSummary {
  readonly file: string;
  /** Duration of each `model_run`, seconds, in order. */
  readonly runSeconds: readonly number[];
  /** Per node, in order of first appearance. */
  readonly nodes: readonly NodeTiming[];
  /** Per operator type, descending total time. */
  readonly byOpType: readonly { readonly opType: string; readonly numCalls: number; readonly totalSeconds: number }[];
}

interface TraceEvent {
  readonly cat?: string;
  readonly name?: string;
  readonly dur?: number;
  readonly args?: { readonly op_name?: string };
}

const KERNEL_SUFFIX = '_kernel_time';

export interface ParseOptions {
  /**
   * Leave out the first `skipRuns` runs (their node events and durations), e.g. a fresh
   * session's first run, which also pays first-touch and arena growth. onnxruntime writes a
   * run's node events before its `model_run` event, so a run's nodes are those since the
   * previous `model_run`.
   */
  readonly skipRuns?: number;
}

/** Parses one profile file's text. Throws naming the file when it is not a trace array. */
export function parseProfile(text: string, file = '(profile)', opts: ParseOptions = {}): ProfileSummary {
  const events: unknown = JSON.parse(text);
  if (!Array.isArray(events)) throw new Error(`${file}: an onnxruntime profile is a JSON array of events`);
  const skipRuns = opts.skipRuns ?? 0;
  let runsSeen = 0;
  const runSeconds: number[] = [];
  const nodes = new Map<string, { opType: string; numCalls: number; totalSeconds: number }>();
  for (const e of events as TraceEvent[]) {
    if (e.cat === 'Session' && e.name === 'model_run' && typeof e.dur === 'number') {
      runsSeen += 1;
      if (runsSeen > skipRuns) runSeconds.push(e.dur / 1e6);
    }
    if (runsSeen < skipRuns) continue;
    if (e.cat !== 'Node' || typeof e.name !== 'string' || !e.name.endsWith(KERNEL_SUFFIX) || typeof e.dur !== 'number')
      continue;
    const node = e.name.slice(0, -KERNEL_SUFFIX.length);
    const entry = nodes.get(node) ?? { opType: e.args?.op_name ?? '?', numCalls: 0, totalSeconds: 0 };
    entry.numCalls += 1;
    entry.totalSeconds += e.dur / 1e6;
    nodes.set(node, entry);
  }
  const byOp = new Map<string, { numCalls: number; totalSeconds: number }>();
  for (const n of nodes.values()) {
    const o = byOp.get(n.opType) ?? { numCalls: 0, totalSeconds: 0 };
    o.numCalls += n.numCalls;
    o.totalSeconds += n.totalSeconds;
    byOp.set(n.opType, o);
  }
  return {
    file,
    runSeconds,
    nodes: [...nodes.entries()].map(([node, n]) => ({ node, ...n })),
    byOpType: [...byOp.entries()]
      .map(([opType, o]) => ({ opType, ...o }))
      .sort((a, b) => b.totalSeconds - a.totalSeconds),
  };
}

/** Parses every `*.json` profile in `dir` whose name starts with `prefix` (default all). */
export function readProfiles(dir: string, prefix = '', opts: ParseOptions = {}): ProfileSummary[] {
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.json'))
    .sort()
    .map((f) => parseProfile(readFileSync(join(dir, f), 'utf8'), f, opts));
}

export interface OperatorPoint {
  readonly opType: string;
  /** Mean kernel seconds per run. */
  readonly seconds: number;
  readonly flops: number;
  /** Unfused bytes (inputs read + outputs written) of the counted nodes of this type. */
  readonly bytes: number;
  readonly achievedFlopsPerSecond: number;
  readonly achievedBytesPerSecond: number;
  readonly intensityFlopsPerByte: number;
}

/**
 * Joins per-node profile times with a count of the same graph at the same shapes: per operator
 * type, mean seconds per run beside counted FLOPs and unfused bytes. Only nodes present under
 * the same name in both are joined (fused nodes have no counted twin and are skipped), so the
 * points are exact for what they cover.
 */
export function operatorPoints(profile: ProfileSummary, count: GraphCount): OperatorPoint[] {
  const counted = new Map(count.nodes.map((n) => [n.name, n]));
  const byOp = new Map<string, { seconds: number; flops: number; bytes: number }>();
  for (const t of profile.nodes) {
    const c = counted.get(t.node);
    if (c === undefined || t.numCalls === 0) continue;
    const o = byOp.get(c.opType) ?? { seconds: 0, flops: 0, bytes: 0 };
    o.seconds += t.totalSeconds / t.numCalls;
    o.flops += c.flops;
    o.bytes += c.bytesRead + c.bytesWritten;
    byOp.set(c.opType, o);
  }
  return [...byOp.entries()]
    .map(([opType, o]) => ({
      opType,
      ...o,
      achievedFlopsPerSecond: o.seconds > 0 ? o.flops / o.seconds : 0,
      achievedBytesPerSecond: o.seconds > 0 ? o.bytes / o.seconds : 0,
      intensityFlopsPerByte: o.bytes > 0 ? o.flops / o.bytes : Number.POSITIVE_INFINITY,
    }))
    .sort((a, b) => b.seconds - a.seconds);
}

/** What a node mainly moves: the KV cache, weights, or neither; `fused` = no counted twin. */
export type NodeRole = 'kv-read' | 'weight-read' | 'other' | 'fused';

export interface RoleTime {
  readonly role: NodeRole;
  readonly numNodes: number;
  /** Mean kernel seconds per run. */
  readonly seconds: number;
  /** KV bytes read (kv-read), weight bytes read (weight-read), else all bytes read; 0 for fused. */
  readonly bytes: number;
  readonly bytesPerSecond: number;
}

/**
 * Kernel time per run split by what the nodes read, which is what a bandwidth-bound step's
 * time should follow: nodes reading KV cache inputs, nodes reading weights, the rest. Nodes the
 * onnxruntime optimizer made (`<our node>/MatMulAddFusion`, …) join their source node by name
 * prefix when it exists; the others are `fused`. Operator types alone mislead here: in decode,
 * Gemm is q·Kᵀ over the cache while most weight GEMVs are MatMul.
 */
export function roleTimes(profile: ProfileSummary, count: GraphCount): RoleTime[] {
  const counted = new Map(count.nodes.map((n) => [n.name, n]));
  const acc = new Map<NodeRole, { numNodes: number; seconds: number; bytes: number }>();
  for (const t of profile.nodes) {
    if (t.numCalls === 0) continue;
    const c = counted.get(t.node) ?? counted.get(t.node.split('/')[0] ?? '');
    const role: NodeRole =
      c === undefined ? 'fused' : c.kvBytesRead > 0 ? 'kv-read' : c.weightBytesRead > 0 ? 'weight-read' : 'other';
    const bytes =
      c === undefined
        ? 0
        : role === 'kv-read'
          ? c.kvBytesRead
          : role === 'weight-read'
            ? c.weightBytesRead
            : c.bytesRead;
    const a = acc.get(role) ?? { numNodes: 0, seconds: 0, bytes: 0 };
    a.numNodes += 1;
    a.seconds += t.totalSeconds / t.numCalls;
    a.bytes += bytes;
    acc.set(role, a);
  }
  const order: NodeRole[] = ['kv-read', 'weight-read', 'other', 'fused'];
  return order.flatMap((role) => {
    const a = acc.get(role);
    return a ? [{ role, ...a, bytesPerSecond: a.seconds > 0 ? a.bytes / a.seconds : 0 }] : [];
  });
}
