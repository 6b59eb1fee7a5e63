// The cluster secret and the keys derived from it (docs/reliability.md, "trust model").
//
//   root secret (32 random bytes, <runDir>/cluster-secret, mode 0600; held by the launcher and the router)
//     ├─ member key   = HMAC-SHA256(root, "oicf-member-v1")          every service: proves membership
//     ├─ identity key = HMAC-SHA256(root, "oicf-identity-v1:" + id)  service `id` only: proves who it is
//     └─ block key    = HMAC-SHA256(root, "oicf-block-v1")           writers and readers of KV blocks:
//                                                                   binds a block's bytes to its id
// A service holding the member key can reach every internal plane; only the router (root holder) can check
// an identity key, so a worker can register only under its own id. Deriving is one HMAC: nothing is stored
// per member.
import { createHmac, randomBytes } from 'node:crypto';
import { OicfError } from '../oicf-error.js';

/** What one process holds. */
export interface ClusterCredentials {
  /** Who this process is: a worker id, "router", "kv-pool", "cli". */
  readonly memberId: string;
  readonly memberKey: Buffer;
  /** This member's own identity key (absent: it cannot prove an identity, only membership). */
  readonly identityKey?: Buffer;
  /** The root secret, for verifying other members' identities (router, launcher). */
  readonly rootSecret?: Buffer;
  /** Key of the keyed block digest (kv-integrity); absent = blocks carry no keyed digest. */
  readonly blockKey?: Buffer;
}

export const CLUSTER_SECRET_BYTES = 32;

export function generateClusterSecret(): Buffer {
  return randomBytes(CLUSTER_SECRET_BYTES);
}

const derive = (root: Buffer, label: string): Buffer => createHmac('sha256', root).update(label).digest();

export const deriveMemberKey = (root: Buffer): Buffer => derive(root, 'oicf-member-v1');
export const deriveIdentityKey = (root: Buffer, memberId: string): Buffer =>
  derive(root, `oicf-identity-v1:${memberId}`);
export const deriveBlockKey = (root: Buffer): Buffer => derive(root, 'oicf-block-v1');

/**
 * The credentials the launcher hands to member `memberId`: membership, its own identity and the block key;
 * the root secret only when `withRoot` (the router, which checks identities at registration).
 */
export function credentialsFor(root: Buffer, memberId: string, withRoot = false): ClusterCredentials {
  return {
    memberId,
    memberKey: deriveMemberKey(root),
    identityKey: deriveIdentityKey(root, memberId),
    blockKey: deriveBlockKey(root),
    ...(withRoot ? { rootSecret: root } : {}),
  };
}

/** The JSON a credentials file holds (hex keys), as the launcher writes it with mode 0600. */
export interface CredentialsFile {
  readonly memberId: string;
  readonly memberKey: string;
  readonly identityKey?: string;
  readonly rootSecret?: string;
  readonly blockKey?: string;
}

export function credentialsToJson(c: ClusterCredentials): CredentialsFile {
  return {
    memberId: c.memberId,
    memberKey: c.memberKey.toString('hex'),
    ...(c.identityKey ? { identityKey: c.identityKey.toString('hex') } : {}),
    ...(c.rootSecret ? { rootSecret: c.rootSecret.toString('hex') } : {}),
    ...(c.blockKey ? { blockKey: c.blockKey.toString('hex') } : {}),
  };
}

const HEX_KEY = /^[0-9a-f]{64}$/;

/** Parses a credentials file's JSON; throws INVALID_ARGUMENT naming the bad field and `source`. */
export function credentialsFromJson(value: unknown, source: string): ClusterCredentials {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const bad = (field: string, what: string) =>
    new OicfError('INVALID_ARGUMENT', `cluster credentials ${source}: ${field} ${what}`, { field });
  if (typeof v.memberId !== 'string' || !/^[A-Za-z0-9._:-]{1,128}$/.test(v.memberId)) {
    throw bad('memberId', 'must be 1–128 characters of [A-Za-z0-9._:-]');
  }
  const key = (field: string, required: boolean): Buffer | undefined => {
    const raw = v[field];
    if (raw === undefined && !required) return undefined;
    if (typeof raw !== 'string' || !HEX_KEY.test(raw)) throw bad(field, 'must be 64 lowercase hex digits');
    return Buffer.from(raw, 'hex');
  };
  const identityKey = key('identityKey', false);
  const rootSecret = key('rootSecret', false);
  const blockKey = key('blockKey', false);
  return {
    memberId: v.memberId,
    memberKey: key('memberKey', true) as Buffer,
    ...(identityKey ? { identityKey } : {}),
    ...(rootSecret ? { rootSecret } : {}),
    ...(blockKey ? { blockKey } : {}),
  };
}
