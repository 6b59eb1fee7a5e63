// The pool's keeper of keyed block digests (docs/reliability.md, "cache integrity"; the digest is
// @oicf/pool-client's block-digest.ts). With the block key (from the cluster credentials):
//   put  a block whose digest is missing or does not bind its payload to its id and this pool's kv format is
//        refused (CHECKSUM_MISMATCH); a full block whose size is not the model's bytes per block is refused
//        (INVALID_ARGUMENT); the digest is kept with the block
//   get  the bytes read are checked against the kept digest before they are served; a block without one, or
//        with bytes that do not match, is treated as corrupt (dropped, counted, never served)
// Digests outlive the process with the disk tier: every accepted one is appended to
// <disk dataDir>/block-digests.log ("<id> <hex>" lines), read back at open; the log is rewritten with only
// the live blocks' digests whenever it holds twice as many lines as there are live digests (and at open).
// Without the key nothing is checked or kept (a pool used alone, the benches).
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { BLOCK_DIGEST_BYTES, type BlockSigner, digestMatches } from '@oicf/pool-client';
import { OicfError } from '@oicf/transport';
import { holdsBytesPrivately } from '../stores/trusted-memory-tier-store.js';
import type { MoveCheck } from './action-runner.js';

export interface BlockDigestsOptions {
  readonly signer: BlockSigner;
  /** Payload bytes of a full block of the served model (absent = not checked). */
  readonly blockBytes?: number;
  /** The log next to the disk tier's files (absent = digests kept in memory only). */
  readonly logFile?: string;
}

export class BlockDigests {
  private readonly digests = new Map<string, Buffer>();
  private linesInLog = 0;

  constructor(private readonly options: BlockDigestsOptions) {
    const file = options.logFile;
    if (file === undefined || !existsSync(file)) return;
    // Lines of another digest length (an older format's) are skipped: their blocks have no digest, so they are
    // treated as corrupt when asked for (dropped, never served), as a block whose digest is lost.
    const hexDigest = new RegExp(`^[0-9a-f]{${2 * BLOCK_DIGEST_BYTES}}$`);
    for (const text of readFileSync(file, 'utf8').split('\n')) {
      const [id, hex] = text.split(' ');
      if (id !== undefined && hex !== undefined && hexDigest.test(hex)) this.digests.set(id, Buffer.from(hex, 'hex'));
    }
  }

  get size(): number {
    return this.digests.size;
  }

  /**
   * Checks a put; returns the error to answer, or undefined when the block may be stored (its digest is then
   * kept by `accepted`).
   */
  check(
    blockId: string,
    payload: Uint8Array,
    isFullBlock: boolean,
    digest: Uint8Array | undefined,
  ): OicfError | undefined {
    const { blockBytes, signer } = this.options;
    if (isFullBlock && blockBytes !== undefined && payload.byteLength !== blockBytes) {
      return new OicfError(
        'INVALID_ARGUMENT',
        `block ${blockId} is ${payload.byteLength} bytes; a full block of ${signer.kvFormat} is ${blockBytes}`,
        { field: 'body.payload' },
      );
    }
    if (digest === undefined || digest.byteLength === 0) {
      return new OicfError(
        'CHECKSUM_MISMATCH',
        `block ${blockId} carries no digest: this pool stores only signed blocks`,
        {
          field: 'body.digest',
        },
      );
    }
    if (!digestMatches(signer, blockId, payload, digest)) {
      return new OicfError(
        'CHECKSUM_MISMATCH',
        `block ${blockId}: its digest does not bind these bytes to this id and ${signer.kvFormat}: refused`,
        { field: 'body.digest' },
      );
    }
    return undefined;
  }

  /** Keeps an accepted block's digest (and logs it); `live` says which ids the pool still holds. */
  accepted(blockId: string, digest: Uint8Array, live: (id: string) => boolean): void {
    const d = Buffer.from(digest);
    this.digests.set(blockId, d);
    const file = this.options.logFile;
    if (file === undefined) return;
    appendFileSync(file, `${blockId} ${d.toString('hex')}\n`);
    this.linesInLog++;
    if (this.linesInLog > 2 * this.digests.size + 1024) this.compact(live);
  }

  /** The kept digest of a block (undefined when none). */
  digestOf(blockId: string): Buffer | undefined {
    return this.digests.get(blockId);
  }

  /** True when `payload`, read for `blockId`, is the bytes its writer signed. */
  verify(blockId: string, payload: Uint8Array): boolean {
    const d = this.digests.get(blockId);
    return d !== undefined && digestMatches(this.options.signer, blockId, payload, d);
  }

  forget(blockId: string): void {
    this.digests.delete(blockId);
  }

  /** Drops digests of blocks the pool no longer holds and rewrites the log with the rest. */
  compact(live: (id: string) => boolean): void {
    for (const id of [...this.digests.keys()]) if (!live(id)) this.digests.delete(id);
    const file = this.options.logFile;
    if (file === undefined) return;
    const text = [...this.digests].map(([id, d]) => `${id} ${d.toString('hex')}\n`).join('');
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
    this.linesInLog = this.digests.size;
  }
}

/**
 * With the block key, bytes entering a tier in the pool's own memory from disk or the arena are checked against
 * their digest there (that tier's reads are not checked again); moves between such tiers need nothing.
 */
export function digestMoveCheck(digests: BlockDigests | undefined): MoveCheck | undefined {
  if (digests === undefined) return undefined;
  return (id, bytes, from, to) => !holdsBytesPrivately(to) || holdsBytesPrivately(from) || digests.verify(id, bytes);
}
