// The keyed block digest (docs/reliability.md, "cache integrity"): a block's identity commits to its bytes.
//
//   digest = salt ‖ GMAC(subkey, nonce, "oicf-block-v3" ‖ 0 ‖ block id ‖ 0 ‖ kv format ‖ 0 ‖ payload)
//   salt   = 24 fresh random bytes; subkey = HMAC-SHA256(block key, "oicf-block-subkey-v3" ‖ salt[0..12]);
//   nonce  = salt[12..24]
//
// GMAC is AES-256-GCM with an empty plaintext and everything to authenticate as additional data (NIST SP
// 800-38D): a MAC as long as a (key, nonce) pair is never used twice. Each digest derives its own subkey from
// a random 96-bit half of its salt and uses the other half as its nonce (the construction of XAES-256-GCM,
// with HMAC as the key derivation), so the cluster-wide block key never runs GMAC itself: SP 800-38D's 2^32
// bound on random nonces per key does not apply to it, and a repeated nonce (≈ 2^48 digests before two
// subkeys even coincide) would reveal only one subkey's GHASH key, not the block key. The digest carries its
// salt (24 bytes) before its 16-byte tag. node:crypto runs GMAC with AES-NI and carry-less multiplication:
// ≈ 0.10 ns/B where HMAC-SHA256 over the payload took ≈ 0.56 (measured on this project's machine, 256 KiB
// buffers); the subkey costs one HMAC of 32 bytes and one AES key schedule per digest (microseconds). The
// block key derives from the cluster secret (@oicf/transport deriveBlockKey); the kv format names the model
// and precision whose KV the payload holds (e.g. "tiny-gqa/fp32"). A writer stamps every block it offers the
// pool; the pool, holding the key and its own kv format, refuses a put whose digest does not match and keeps
// the digest with the block; who checks it again, and when, is in docs/reliability.md. So bytes computed for
// another prompt (another id), another model or precision, or changed at rest, are never served under an id:
// the XXH32 checksum only guards the transfer.
//
// Two digests of the same bytes differ (their salts do): nothing compares digests with each other, only a
// digest with the bytes it claims to sign.
import { createCipheriv, createHmac, randomFillSync, timingSafeEqual } from 'node:crypto';

export interface BlockSigner {
  /** 32 bytes: the AES-256 key. */
  readonly key: Buffer;
  /** Model and precision of the KV, e.g. "tiny-gqa/fp32". */
  readonly kvFormat: string;
}

/** Bytes of a digest: the 192-bit salt (subkey half, nonce half), then the 128-bit tag. */
export const BLOCK_DIGEST_BYTES = 40;
const SALT_BYTES = 24;
const SUBKEY_SALT_BYTES = 12;
const DOMAIN = 'oicf-block-v3';
const SUBKEY_DOMAIN = Buffer.from('oicf-block-subkey-v3');
/** Salts are cut from a buffer of CSPRNG bytes refilled every 256 digests (one call into OpenSSL, not one each). */
const SALT_POOL_BYTES = 256 * SALT_BYTES;
const saltPool = Buffer.allocUnsafe(SALT_POOL_BYTES);
let saltAt = SALT_POOL_BYTES;

function freshSalt(): Buffer {
  if (saltAt + SALT_BYTES > SALT_POOL_BYTES) {
    randomFillSync(saltPool);
    saltAt = 0;
  }
  const salt = Buffer.from(saltPool.subarray(saltAt, saltAt + SALT_BYTES)); // a copy: each salt is used once
  saltPool.fill(0, saltAt, saltAt + SALT_BYTES);
  saltAt += SALT_BYTES;
  return salt;
}

/** The digest's own AES-256 key: HMAC-SHA256(block key, "oicf-block-subkey-v3" ‖ the salt's first 12 bytes). */
function subkey(signer: BlockSigner, salt: Uint8Array): Buffer {
  return createHmac('sha256', signer.key).update(SUBKEY_DOMAIN).update(salt.subarray(0, SUBKEY_SALT_BYTES)).digest();
}

function tag(signer: BlockSigner, salt: Uint8Array, blockId: string, payload: Uint8Array): Buffer {
  const gmac = createCipheriv('aes-256-gcm', subkey(signer, salt), salt.subarray(SUBKEY_SALT_BYTES, SALT_BYTES));
  // The fields before the payload in one call (GCM's AAD is the concatenation of every setAAD).
  gmac.setAAD(Buffer.from(`${DOMAIN}\0${blockId}\0${signer.kvFormat}\0`));
  gmac.setAAD(payload);
  gmac.final();
  return gmac.getAuthTag();
}

/** A fresh digest of `payload` as block `blockId` (random salt: two calls give different digests). */
export function blockDigest(signer: BlockSigner, blockId: string, payload: Uint8Array): Buffer {
  const salt = freshSalt();
  return Buffer.concat([salt, tag(signer, salt, blockId, payload)]);
}

/** Constant-time check of a digest received or stored with a block, against the bytes it claims to sign. */
export function digestMatches(signer: BlockSigner, blockId: string, payload: Uint8Array, digest: Uint8Array): boolean {
  if (digest.byteLength !== BLOCK_DIGEST_BYTES) return false;
  const expected = tag(signer, digest.subarray(0, SALT_BYTES), blockId, payload);
  return timingSafeEqual(expected, digest.subarray(SALT_BYTES));
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
