import { accessSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The addon's functions (src/shm_native.c). */
export interface ShmNativeBinding {
  /** This system's page size in bytes (sysconf(_SC_PAGESIZE)): mapFd offsets and populate align to it. */
  readonly pageBytes: number;
  /** An ArrayBuffer over mmap(fd, [offset, offset + length)), shared; read-only unless `writable`. */
  mapFd(fd: number, offset: number, length: number, writable: boolean): ArrayBuffer;
  /** Detaches the buffer (every view of it becomes empty) and unmaps it; idempotent. */
  unmap(buffer: ArrayBuffer): void;
  /** Maps [offset, offset + length) into this process in one call; false when the kernel refuses. */
  populate(buffer: ArrayBuffer, offset: number, length: number, write: boolean): boolean;
  /** XXH32 of `bytes` with `seed`. */
  xxh32(bytes: Uint8Array, seed: number): number;
  /**
   * Copies `src` into `dst` (same length) and returns XXH32 of what `dst` now holds, reading `src` once; -1 when the
   * copy raised SIGBUS (a mapped file shrank under this process), caught by the addon's guard: `dst` then holds part.
   */
  copyXxh32(dst: Uint8Array, src: Uint8Array, seed: number): number;
  /** Copies `src` into `dst` (same length) under the same SIGBUS guard; false when the copy faulted. */
  copy(dst: Uint8Array, src: Uint8Array): boolean;
  /**
   * XXH32 of `bytes` (a view of a mapping) with `seed`, read in place (no copy) under the same SIGBUS guard; -1 when
   * reading them faulted (a mapped file shrank under this process).
   */
  xxh32Guarded(bytes: Uint8Array, seed: number): number;
}

/**
 * Whether the pool's shared-memory path (its arena, and XXH32 in C) uses the addon (`on`), and why not. Off by
 * default: measured in interleaved pairs against main (rounds 6 and 7), it cost less CPU per byte where arena pages
 * are reused (a pool at capacity) but not where every put lands in pages never written (signed puts cost more), and
 * `pool shm ÷ Redis` did not hold 1.5 in every pair, so by the rule set before measuring it stays opt-in:
 * `OICF_SHM_NATIVE=1` turns it on, `OICF_SHM_NATIVE=0` does not even load it
 * (apps/kv-pool/bench/results/kv-pool-r7-pool.md). Handoff staging is decided apart (`shmMapsByDefault`).
 */
export type ShmNativeStatus =
  | { readonly on: true; readonly path: string }
  | { readonly on: false; readonly loaded: boolean; readonly reason: string };

/** Where the bootstrap builds the addon (packages/shm-native/build-addon.mjs). */
export const ADDON_PATH = fileURLToPath(new URL('../build/shm_native.node', import.meta.url));

let loaded: { readonly binding: ShmNativeBinding | undefined; readonly status: ShmNativeStatus } | undefined;

/**
 * What `OICF_SHM_NATIVE` asks for: `off` (0, false, off, no: the addon is not even loaded), `on` (1, true, on, yes: the
 * pool's arena maps too) or `default` (unset or empty). A value it does not understand is `off`, the path that needs
 * nothing, and `shmNativeStatus().reason` names it: a typo must not turn on, or silently leave on, a mapping.
 */
export function shmNativeSwitch(value: string | undefined): {
  readonly switch: 'off' | 'on' | 'default';
  readonly unknown?: string;
} {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '') return { switch: 'default' };
  if (['1', 'true', 'on', 'yes'].includes(v)) return { switch: 'on' };
  if (['0', 'false', 'off', 'no'].includes(v)) return { switch: 'off' };
  return { switch: 'off', unknown: value };
}

function load(): { binding: ShmNativeBinding | undefined; status: ShmNativeStatus } {
  const asked = shmNativeSwitch(process.env.OICF_SHM_NATIVE);
  if (asked.switch === 'off') {
    const reason =
      asked.unknown === undefined
        ? `OICF_SHM_NATIVE=${process.env.OICF_SHM_NATIVE} forces the pread/pwrite path`
        : `OICF_SHM_NATIVE=${JSON.stringify(asked.unknown)} is not one of 0/1, false/true, off/on, no/yes: the pread/pwrite path`;
    return { binding: undefined, status: { on: false, loaded: false, reason } };
  }
  let binding: ShmNativeBinding;
  try {
    binding = createRequire(import.meta.url)(ADDON_PATH) as ShmNativeBinding;
  } catch (err) {
    const notBuilt = (err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND';
    const readOnly = notBuilt ? unwritable(dirname(ADDON_PATH)) : undefined;
    const reason =
      readOnly !== undefined
        ? `${ADDON_PATH}: not built, and ${readOnly}: the pread/pwrite path`
        : `${ADDON_PATH}: ${notBuilt ? 'not built' : String(err)} (node scripts/bootstrap.mjs builds it)`;
    return { binding: undefined, status: { on: false, loaded: false, reason } };
  }
  // A miscompiled addon must not hash blocks: XXH32("", 0) = 0x02CC5D05 and XXH32("a", 0) = 0x550D7456 (the
  // reference library's published values).
  if (binding.xxh32(new Uint8Array(0), 0) !== 0x02cc5d05 || binding.xxh32(Buffer.from('a'), 0) !== 0x550d7456) {
    return {
      binding: undefined,
      status: { on: false, loaded: false, reason: `${ADDON_PATH}: XXH32 self-check failed` },
    };
  }
  if (asked.switch !== 'on') {
    const reason =
      "built; the pool's arena is off by default (not cheaper than pread/pwrite in every measured pair; handoff staging maps): OICF_SHM_NATIVE=1 turns it on";
    return { binding, status: { on: false, loaded: true, reason } };
  }
  return { binding, status: { on: true, path: ADDON_PATH } };
}

/**
 * Why the bootstrap could not build into `buildDir` (it, or the package folder that would hold it, is read-only), or
 * undefined when it can.
 */
function unwritable(buildDir: string): string | undefined {
  const dir = existsSync(buildDir) ? buildDir : dirname(buildDir);
  try {
    accessSync(dir, constants.W_OK);
    return undefined;
  } catch (err) {
    return `${dir} is not writable (${(err as NodeJS.ErrnoException).code ?? String(err)}), so it cannot be built there`;
  }
}

/**
 * The addon, or undefined when it did not load (not built, no compiler, OICF_SHM_NATIVE=0); loaded once. Loaded is not
 * on: the data path uses it only when `shmNativeStatus().on`.
 */
export function shmNative(): ShmNativeBinding | undefined {
  loaded ??= load();
  return loaded.binding;
}

/** Whether the shared-memory data path uses the addon, and why not (see ShmNativeStatus). */
export function shmNativeStatus(): ShmNativeStatus {
  loaded ??= load();
  return loaded.status;
}

/** What a shared-memory segment holds: the kv-pool's arena (and its clients' view of it), or a sender's handoff staging. */
export type ShmSegmentUse = 'arena' | 'staging';

/**
 * Whether segments of `use` are mapped by default. `staging` (a prefill worker's staging segment, and a decode
 * worker's read-only view of it) whenever the addon loaded: in round 7's judged pairs the mapped handoff cost less CPU
 * per byte and held shm ÷ raw TCP ≥ 0.8 in every pair (apps/decode-worker/bench/results/handoff-r7-pool.md, rule H).
 * `arena` only when `shmNativeStatus().on` (OICF_SHM_NATIVE=1). `OICF_SHM_NATIVE=0`, or no addon (no compiler), maps
 * neither: pread / pwrite.
 */
export function shmMapsByDefault(use: ShmSegmentUse): boolean {
  return use === 'arena' ? shmNativeStatus().on : shmNative() !== undefined;
}
