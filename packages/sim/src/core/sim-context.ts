// What every part of one simulation run shares: the virtual clock (event queue), the cluster design, the
// transfer fabric, the pool, and the seed.
import type { SimCluster } from '../cluster/sim-cluster.js';
import type { SimPool } from '../pool/sim-pool.js';
import type { EventQueue } from './event-queue.js';
import type { Fabric } from './fabric.js';
import type { HostCpu } from './host-cpu.js';
import type { HostProcesses } from './host-processes.js';

export interface SimContext {
  readonly queue: EventQueue;
  readonly cluster: SimCluster;
  readonly fabric: Fabric;
  readonly pool: SimPool | undefined;
  /** Makes a run reproducible: generated token ids and heartbeat phases derive from it. */
  readonly seed: number;
  /** One-way latency of a message between services (the host's gRPC hop; 0 on target hardware). */
  readonly rpcSeconds: number;
  /** The cores the local cluster's kernels share (undefined: each worker computes alone). */
  readonly hostCpu: HostCpu | undefined;
  /** The services' main threads on that host, charged by the host-cost model (undefined: no host-cost model). */
  readonly processes: HostProcesses | undefined;
}

/** 32-bit hash of a string (FNV-1a), for deriving per-request streams from the seed. */
export function hashString(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A well-mixed 32-bit value of two inputs (splitmix-style finaliser). */
export function mix32(a: number, b: number): number {
  let x = (a ^ Math.imul(b, 0x9e3779b1)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/** Uniform in [0, 1) from a 32-bit value. */
export function unit(x: number): number {
  return x / 0x1_0000_0000;
}
