import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { credentialsFor, credentialsFromJson, credentialsToJson, deriveMemberKey } from './cluster-keys.js';
import { bearerToken, mintMemberToken, verifyMemberToken } from './member-token.js';

const ROOT = Buffer.alloc(32, 7);
const OTHER_ROOT = Buffer.alloc(32, 8);
const NOW = 1_700_000_000_000;

describe('cluster keys', () => {
  it('derive the member key as HMAC-SHA256(root, "oicf-member-v1") (an external computation of the same MAC)', () => {
    const expected = createHmac('sha256', ROOT).update('oicf-member-v1').digest();
    expect(deriveMemberKey(ROOT).equals(expected)).toBe(true);
  });

  it('round-trip through the credentials file JSON; a bad key names its field', () => {
    const c = credentialsFor(ROOT, 'decode-0', true);
    expect(credentialsFromJson(credentialsToJson(c), 'f')).toEqual(c);
    expect(() => credentialsFromJson({ ...credentialsToJson(c), memberKey: 'xyz' }, 'a.json')).toThrow(
      'cluster credentials a.json: memberKey must be 64 lowercase hex digits',
    );
    expect(() => credentialsFromJson({ memberId: 'x'.repeat(129) }, 'a.json')).toThrow(/memberId/);
  });
});

describe('member tokens', () => {
  const worker = credentialsFor(ROOT, 'decode-0');
  const pool = credentialsFor(ROOT, 'kv-pool');
  const router = credentialsFor(ROOT, 'router', true);

  it('a member checks membership; only a root holder also checks the identity', () => {
    const token = mintMemberToken(worker, NOW, '0123456789abcdef');
    expect(verifyMemberToken(token, pool, NOW)).toEqual({ ok: true, memberId: 'decode-0', identityVerified: false });
    expect(verifyMemberToken(token, router, NOW)).toEqual({ ok: true, memberId: 'decode-0', identityVerified: true });
  });

  it('an id claimed without its identity key is a member but not that identity', () => {
    // decode-1's member key with decode-0's id: the identity MAC is made with decode-1's identity key.
    const forged = mintMemberToken(
      { ...credentialsFor(ROOT, 'decode-1'), memberId: 'decode-0' },
      NOW,
      '0123456789abcdef',
    );
    expect(verifyMemberToken(forged, router, NOW)).toEqual({ ok: true, memberId: 'decode-0', identityVerified: false });
  });

  it.each([
    ['another cluster', () => mintMemberToken(credentialsFor(OTHER_ROOT, 'decode-0'), NOW), /member key/],
    ['too old', () => mintMemberToken(worker, NOW - 301_000), /issued -301 s from now|issued 301 s/],
    ['from the future', () => mintMemberToken(worker, NOW + 301_000), /limit ±300 s/],
    ['garbage', () => 'Bearer abc', /not an oicf1 member token/],
    [
      'a bit flipped in the MAC',
      () =>
        mintMemberToken(worker, NOW, '0123456789abcdef').replace(
          /\.(.)([^.]*)\.([^.]*)$/,
          (_m, c, r, i) => `.${c === 'A' ? 'B' : 'A'}${r}.${i}`,
        ),
      /member key/,
    ],
    ['an oversized token', () => 'x'.repeat(2000), /longer than 1024/],
  ])('refuses a token %s', (_what, make, reason) => {
    const check = verifyMemberToken(make(), pool, NOW);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.reason).toMatch(reason);
  });

  it('reads the bearer scheme only', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer  abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
