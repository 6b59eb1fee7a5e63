// Gets into memory the caller provides. A reader that serves many requests (a decode worker importing a
// prefix, a benchmark's client) reuses one slab of its own instead of a fresh buffer per block: a fresh
// `Buffer.allocUnsafe` costs page faults on every get (pread into one: 0.5–0.7 ns/B, into reused memory
// 0.16–0.19 on this project's machine, bench/results/kv-pool-r4-before-after.md) and the garbage collections
// of all that memory. Whatever the transport, a block is written into its target only there and verified
// there; a block that fails verification is reported, never returned, and its target range is zero-filled
// (the caller never mistakes a refused block's bytes for data).
import { OicfError } from '@oicf/transport';

/**
 * Where the block `blockId` of `byteLength` bytes is to be read: a buffer of at least `byteLength` bytes
 * (its first `byteLength` bytes are written), or undefined to read it into fresh memory as without targets.
 */
export type BlockTargets = (blockId: string, byteLength: number) => Uint8Array | undefined;

/** Targets by position: `targets[i]` receives `blockIds[i]`. Throws when the two lists differ in length or an id repeats. */
export function targetsByPosition(blockIds: readonly string[], targets: readonly Uint8Array[]): BlockTargets {
  if (targets.length !== blockIds.length) {
    throw new OicfError(
      'INVALID_ARGUMENT',
      `getInto: ${blockIds.length} block ids but ${targets.length} targets (one target per block)`,
      { field: 'targets' },
    );
  }
  const byId = new Map<string, Uint8Array>();
  blockIds.forEach((id, i) => {
    // One block, one target: with a repeated id only one of its targets could receive the block.
    if (byId.has(id)) {
      throw new OicfError(
        'INVALID_ARGUMENT',
        `getInto: block ${id} is asked for twice (at ${blockIds.indexOf(id)} and ${i})`,
        {
          field: 'blockIds',
        },
      );
    }
    byId.set(id, targets[i] as Uint8Array);
  });
  return (blockId) => byId.get(blockId);
}

/**
 * The exact range of `into`'s target that receives the block, undefined when the caller gave none, or the error
 * when the target is smaller than the block (nothing is written to it then).
 */
export function targetFor(
  into: BlockTargets | undefined,
  blockId: string,
  byteLength: number,
): Uint8Array | OicfError | undefined {
  const target = into?.(blockId, byteLength);
  if (target === undefined) return undefined;
  if (target.byteLength < byteLength) {
    return new OicfError(
      'INVALID_ARGUMENT',
      `the target for block ${blockId} holds ${target.byteLength} bytes, the block has ${byteLength}: not read`,
      { field: 'targets' },
    );
  }
  return target.subarray(0, byteLength);
}

/** Whether `payload` already is the memory `target` names (the channel read it there). */
export function isIn(payload: Uint8Array, target: Uint8Array): boolean {
  return (
    payload.buffer === target.buffer &&
    payload.byteOffset === target.byteOffset &&
    payload.byteLength === target.byteLength
  );
}

/**
 * One get's targets, as getBlocks / fetchBlocks use them: the channel is given each block's target once (a
 * second answer for the same id, which the get refuses anyway, goes to fresh memory and never overwrites a
 * block already read), and a verified block is then placed in its target (copied there when the channel did
 * not read it there: byte frames).
 */
export class GetTargets {
  private readonly handedOut = new Map<string, Uint8Array | undefined>();

  constructor(private readonly into: BlockTargets) {}

  /** What the channel is given as `into`. */
  readonly forChannel: BlockTargets = (blockId, byteLength) => {
    if (this.handedOut.has(blockId)) return undefined;
    const target = this.into(blockId, byteLength);
    this.handedOut.set(blockId, target);
    return target;
  };

  /** A verified block's payload in its target, or why it cannot be placed there (target too small). */
  place(blockId: string, payload: Uint8Array): Uint8Array | OicfError {
    const raw = this.handedOut.has(blockId)
      ? this.handedOut.get(blockId)
      : this.forChannel(blockId, payload.byteLength);
    const target = targetFor(() => raw, blockId, payload.byteLength);
    if (target === undefined || target instanceof OicfError) return target ?? payload;
    if (isIn(payload, target)) return payload; // read there by the channel
    target.set(payload);
    return target;
  }

  /** A refused block: its bytes are zero-filled when they lie in its target (the channel read them there). */
  refuse(blockId: string, payload: Uint8Array): void {
    const raw = this.handedOut.get(blockId);
    if (raw !== undefined && raw.byteLength >= payload.byteLength && isIn(payload, raw.subarray(0, payload.byteLength)))
      payload.fill(0);
  }
}
