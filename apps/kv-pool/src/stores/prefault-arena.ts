import type { OwnedSegment } from '@oicf/pool-client';

const MiB = 1024 * 1024;

/** Receives a progress line of the arena's prefault and its figures (the pool's logger). */
export type PrefaultProgress = (message: string, fields: Readonly<Record<string, number>>) => void;

/**
 * Maps (and allocates) every page of the arena now (OwnedSegment.prefault) and returns the bytes done. A mapped arena
 * (OICF_SHM_NATIVE=1) may take seconds for GiBs, so it says so: one line before ("prefaulting N MiB of the arena…")
 * and one after with the seconds taken. Unmapped, there is nothing to do: 0, and no line.
 */
export function prefaultArena(segment: OwnedSegment, onProgress: PrefaultProgress | undefined): number {
  if (!segment.isMapped) return segment.prefault();
  const mib = (segment.sizeBytes / MiB).toFixed(1);
  onProgress?.(`prefaulting ${mib} MiB of the arena…`, { arenaBytes: segment.sizeBytes });
  const t0 = performance.now();
  const done = segment.prefault();
  const seconds = (performance.now() - t0) / 1000;
  onProgress?.(`prefaulted ${(done / MiB).toFixed(1)} of ${mib} MiB of the arena in ${seconds.toFixed(2)} s`, {
    arenaBytes: segment.sizeBytes,
    prefaultedBytes: done,
    seconds,
  });
  return done;
}
