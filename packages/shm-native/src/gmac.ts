import { shmNative, shmNativeStatus } from './native.js';

/**
 * What one GMAC needs (the keyed block digest's, @oicf/pool-client block-digest.ts): its AES-256 key (32 bytes), its
 * nonce (12 bytes) and the additional data before the bytes it covers (`head`). The tag is of `head ‖ bytes`.
 */
export interface GmacInput {
  readonly key: Uint8Array;
  readonly nonce: Uint8Array;
  readonly head: Uint8Array;
}

/** The addon's gmacCopy modes (src/shm_native.c): what GMAC reads while the bytes are copied. */
export const GMAC_SIGN = 0; // GMAC of src (private), each chunk then copied to dst (a writer's slot), or no copy
export const GMAC_VERIFY = 1; // each chunk of src (shared) copied to dst (private), then GMAC of the copy
export const GMAC_XXH32 = 2; // each chunk of src (shared) copied privately with its XXH32, then GMAC of that copy

/** The addon's fused GMAC, or undefined (not loaded, or Node's OpenSSL not reachable from it). */
export function nativeGmacCopy(): NonNullable<ReturnType<typeof shmNative>>['gmacCopy'] {
  return shmNative()?.gmacCopy;
}

/**
 * GMAC in C of private bytes into `tagOut` (16 bytes), where the native data path is on (`shmNativeStatus().on`,
 * as `nativeXxh32`), else undefined: callers use node:crypto. The same tag as node:crypto's AES-256-GCM with
 * `head` and `bytes` as additional data (src/gmac.test.ts).
 */
export const nativeGmac: ((tagOut: Uint8Array, gmac: GmacInput, bytes: Uint8Array) => void) | undefined = (() => {
  const copy = nativeGmacCopy();
  return copy === undefined || !shmNativeStatus().on
    ? undefined
    : (tagOut: Uint8Array, g: GmacInput, bytes: Uint8Array) => {
        copy(GMAC_SIGN, tagOut, g.key, g.nonce, g.head, null, bytes);
      };
})();
