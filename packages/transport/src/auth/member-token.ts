// The bearer token a cluster member sends on every internal call (gRPC metadata `authorization`, the
// WebSocket handshake's `Authorization` header):
//
//   oicf1.<member id, base64url>.<issued at, Unix ms>.<nonce, 16 hex>.<member MAC>.<identity MAC or "">
//   member MAC   = HMAC-SHA256(member key, "oicf1.<id>.<at>.<nonce>")  → proves membership (anyone with the member key checks it)
//   identity MAC = HMAC-SHA256(identity key of <id>, same payload)     → proves the id (only a root holder checks it)
//
// A token is good for `maxAgeSeconds` either side of its issue time (clock skew between hosts); clients
// mint a fresh one per call or connection. MACs are compared in constant time.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { type ClusterCredentials, deriveIdentityKey } from './cluster-keys.js';

export const TOKEN_PREFIX = 'oicf1';
/** Default validity either side of the issue time. */
export const TOKEN_MAX_AGE_SECONDS = 300;

const mac = (key: Buffer, payload: string) => createHmac('sha256', key).update(payload).digest('base64url');

export function mintMemberToken(
  c: ClusterCredentials,
  nowMs = Date.now(),
  nonce = randomBytes(8).toString('hex'),
): string {
  const payload = `${TOKEN_PREFIX}.${Buffer.from(c.memberId).toString('base64url')}.${Math.floor(nowMs)}.${nonce}`;
  const identity = c.identityKey === undefined ? '' : mac(c.identityKey, payload);
  return `${payload}.${mac(c.memberKey, payload)}.${identity}`;
}

export type TokenCheck =
  | {
      readonly ok: true;
      readonly memberId: string;
      /** True when the identity MAC was checked against the id's key (the verifier holds the root secret). */
      readonly identityVerified: boolean;
    }
  | { readonly ok: false; readonly reason: string };

function sameMac(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Checks a token against the verifier's credentials (membership always; identity when it holds the root). */
export function verifyMemberToken(
  token: string,
  verifier: ClusterCredentials,
  nowMs = Date.now(),
  maxAgeSeconds = TOKEN_MAX_AGE_SECONDS,
): TokenCheck {
  if (token.length > 1024) return { ok: false, reason: 'the token is longer than 1024 characters' };
  const parts = token.split('.');
  if (parts.length !== 6 || parts[0] !== TOKEN_PREFIX) {
    return { ok: false, reason: `not an ${TOKEN_PREFIX} member token` };
  }
  const [, idPart, atPart, nonce, memberMac, identityMac] = parts as [string, string, string, string, string, string];
  const memberId = Buffer.from(idPart, 'base64url').toString('utf8');
  const at = Number(atPart);
  if (!/^[A-Za-z0-9._:-]{1,128}$/.test(memberId) || !Number.isSafeInteger(at) || !/^[0-9a-f]{16}$/.test(nonce)) {
    return { ok: false, reason: 'malformed member token' };
  }
  if (Math.abs(nowMs - at) > maxAgeSeconds * 1000) {
    return {
      ok: false,
      reason: `the token was issued ${((nowMs - at) / 1000).toFixed(0)} s from now (limit ±${maxAgeSeconds} s)`,
    };
  }
  const payload = `${TOKEN_PREFIX}.${idPart}.${atPart}.${nonce}`;
  if (!sameMac(memberMac, mac(verifier.memberKey, payload))) {
    return {
      ok: false,
      reason: 'the token is not signed with this cluster’s member key (wrong or missing cluster secret)',
    };
  }
  if (verifier.rootSecret === undefined) return { ok: true, memberId, identityVerified: false };
  const expected = mac(deriveIdentityKey(verifier.rootSecret, memberId), payload);
  return { ok: true, memberId, identityVerified: identityMac !== '' && sameMac(identityMac, expected) };
}

/** The token of an `Authorization: Bearer <token>` value (undefined when absent or another scheme). */
export function bearerToken(header: string | readonly string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(value.trim());
  return m?.[1];
}
