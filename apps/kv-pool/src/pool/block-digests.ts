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
import { BLOCK_DIGEST_BYTES, type BlockSigner, digestMatches, type GmacInput } from '@oicf/pool-client';
import { OicfError } from '@oicf/transport';
import { holdsBytesPrivately } from '../stores/trusted-memory-tier-store.js';
import type { MoveCheck } from './action-runner.js';

const NO_BYTES = new Uint8Array(0);

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
    const refused = this.refuseUnread(blockId, payload.byteLength, isFullBlock, digest);
    if (refused !== undefined) return refused;
    if (!digestMatches(this.options.signer, blockId, payload, digest as Uint8Array)) return this.mismatch(blockId);
    return undefined;
  }

  /** The refusals that need no byte read: a full block of the wrong size, a missing digest. */
  private refuseUnread(
    blockId: string,
    numBytes: number,
    isFullBlock: boolean,
    digest: Uint8Array | undefined,
  ): OicfError | undefined {
    const { blockBytes, signer } = this.options;
    if (isFullBlock && blockBytes !== undefined && numBytes !== blockBytes) {
      return new OicfError(
        'INVALID_ARGUMENT',
        `block ${blockId} is ${numBytes} bytes; a full block of ${signer.kvFormat} is ${blockBytes}`,
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
    return undefined;
  }

  private mismatch(blockId: string): OicfError {
    return new OicfError(
      'CHECKSUM_MISMATCH',
      `block ${blockId}: its digest does not bind these bytes to this id and ${this.options.signer.kvFormat}: refused`,
      { field: 'body.digest' },
    );
  }

  /**
   * `check` on bytes read once where they lie (a mapped arena slot) by `pass`, which computes their GMAC into its
   * `tagOut` and returns XXH32 of the very bytes it hashed (one private copy), or undefined when it cannot. Returns
   * the refusal, that XXH32 when the digest matches, or undefined when the pass could not run (check a copy instead).
   */
  checkOnce(
    blockId: string,
    numBytes: number,
    isFullBlock: boolean,
    digest: Uint8Array | undefined,
    pass: (gmac: GmacInput, tagOut: Buffer) => number | undefined,
  ): OicfError | number | undefined {
    // Size and a missing digest are refused without reading the bytes (`check` reads none for these either).
    const early = this.refuseUnread(blockId, numBytes, isFullBlock, digest);
    if (early !== undefined) return early;
    let xxh32: number | undefined;
    const matches = digestMatches(this.options.signer, blockId, NO_BYTES, digest as Uint8Array, (gmac, tagOut) => {
      xxh32 = pass(gmac, tagOut);
      return xxh32 !== undefined;
    });
    if (xxh32 === undefined) return undefined; // not read (the pass could not run, or a digest of the wrong length)
    return matches ? xxh32 : this.mismatch(blockId);
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
