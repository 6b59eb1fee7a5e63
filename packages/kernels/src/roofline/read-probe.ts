import { readFileSync } from 'node:fs';
import { median } from '@oicf/core';

/**
 * Working-set sizes the read probe streams before each point (round 5, issue 12.3). Repeats of a
 * decode point whose KV is tens of MiB fall in two clusters (MHA fp32 at 4k: 7.5 or 11 ms) and the
 * cluster is a property of the time window, shared by every such point measured in it for tens of
 * seconds to minutes (results/step-time-r5-bimodal.md), as the read rate of a 16 or 32 MiB buffer
 * is (≈ 20 or ≈ 10 GB/s): the host's last-level cache, shared with other tenants, sometimes holds
 * such a working set and sometimes not. 512 MiB and more read at DRAM rate either way. Round 6
 * added 32 MiB: in the stream probe of round 5b it switched between ≈ 18 and ≈ 5 GB/s, the widest
 * gap of the sizes read (16 MiB ≈ 20 vs ≈ 10, 64 MiB ≈ 13 vs ≈ 10 on a quiet host).
 */
export const READ_PROBE_MIB: readonly number[] = [16, 32, 64];

/** Passes over each buffer per probe; the median pass gives the rate. */
export const READ_PROBE_PASSES = 5;

/** One working set's read rate at one moment. */
export interface ReadRate {
  readonly mib: number;
  /** Median pass: bytes ÷ seconds ÷ 1e9. */
  readonly gbps: number;
}

/** The median pass's rate in GB/s (1e9 bytes/s) for `passSeconds` passes over `bytes` bytes. */
export function readRateGBps(bytes: number, passSeconds: readonly number[]): number {
  if (passSeconds.length === 0) throw new RangeError('readRateGBps: no passes');
  return bytes / median(passSeconds) / 1e9;
}

/**
 * Buffers of the probe sizes, filled with 1s (so their pages are real, not the shared zero page),
 * read by Buffer#indexOf of a byte they do not hold: memchr, a read-only stream at the rate the
 * working set's placement (cache or DRAM) allows.
 */
export class ReadProbe {
  private readonly buffers: Buffer[];

  constructor(readonly sizesMiB: readonly number[] = READ_PROBE_MIB) {
    this.buffers = sizesMiB.map((mib) => Buffer.alloc(mib * 2 ** 20, 1));
  }

  measure(passes = READ_PROBE_PASSES): ReadRate[] {
    return this.buffers.map((b, i) => {
      const seconds: number[] = [];
      for (let p = 0; p < passes; p++) {
        const t0 = performance.now();
        if (b.indexOf(0xab) !== -1) throw new Error('unreachable: probe buffer holds only 1s');
        seconds.push((performance.now() - t0) / 1e3);
      }
      return { mib: this.sizesMiB[i] ?? 0, gbps: readRateGBps(b.length, seconds) };
    });
  }
}

/** Steal time of all CPUs in USER_HZ ticks from /proc/stat's text: the `cpu` line's 8th value. */
export function parseStealTicks(procStat: string): number | undefined {
  const m = /^cpu\s+(.*)$/m.exec(procStat);
  const v = m?.[1]?.trim().split(/\s+/)[7];
  return v === undefined ? undefined : Number(v);
}

/** Cumulative steal seconds over all CPUs (USER_HZ = 100 on Linux), or undefined without /proc/stat. */
export function stealSeconds(): number | undefined {
  try {
    const t = parseStealTicks(readFileSync('/proc/stat', 'utf8'));
    return t === undefined ? undefined : t / 100;
  } catch {
    return undefined;
  }
}
