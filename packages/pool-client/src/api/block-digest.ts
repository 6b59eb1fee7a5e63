// The keyed block digest (docs/reliability.md, "cache integrity"): a block's identity commits to its bytes.
//
//   digest = HMAC-SHA256(block key, "oicf-block-v1" ‖ 0 ‖ block id ‖ 0 ‖ kv format ‖ 0 ‖ payload)
//
// The block key derives from the cluster secret (@oicf/transport deriveBlockKey); the kv format names the
// model and precision whose KV the payload holds (e.g. "tiny-gqa/fp32"). A writer stamps every block it
// offers the pool; the pool, holding the key and its own kv format, refuses a put whose digest does not
// match, keeps the digest with the block, and checks it again before serving the bytes. So bytes computed
// for another prompt (another id), another model or precision, or changed at rest, are never served under
// an id: the XXH32 checksum only guards the transfer.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface BlockSigner {
  readonly key: Buffer;
  /** Model and precision of the KV, e.g. "tiny-gqa/fp32". */
  readonly kvFormat: string;
}

const ZERO = Buffer.alloc(1);

export function blockDigest(signer: BlockSigner, blockId: string, payload: Uint8Array): Buffer {
  return createHmac('sha256', signer.key)
    .update('oicf-block-v1')
    .update(ZERO)
    .update(blockId)
    .update(ZERO)
    .update(signer.kvFormat)
    .update(ZERO)
    .update(payload)
    .digest();
}

/** Constant-time check of a digest received or stored with a block. */
export function digestMatches(signer: BlockSigner, blockId: string, payload: Uint8Array, digest: Uint8Array): boolean {
  const expected = blockDigest(signer, blockId, payload);
  return digest.byteLength === expected.byteLength && timingSafeEqual(expected, digest);
}

let processSigner: BlockSigner | undefined;

/** Installs the signer every put of this process stamps (a worker's, from its cluster credentials). */
export function setBlockSigner(signer: BlockSigner | undefined): void {
  processSigner = signer;
}

export function blockSigner(): BlockSigner | undefined {
  return processSigner;
}

/** The kv format of a served model: its id and the precision of its weights (the KV is computed in fp32). */
export function kvFormatOf(model: string, weightPrecision: string): string {
  return `${model}/${weightPrecision}`;
}
