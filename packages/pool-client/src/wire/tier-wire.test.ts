// The wire contract (common.proto's `Tier` enum, read from the .proto sources) and the owner of tier
// identity (@oicf/core hardware/tiers.ts) must name the same tiers: adding a tier to one and not the
// other fails here.
import { POOL_TIER_IDS, TIER_IDS, TIERS, tierProtoName } from '@oicf/core';
import { loadProtoRoot } from '@oicf/proto';
import { describe, expect, it } from 'vitest';
import { poolTierFromWire, tierFromWire, tierToWire } from './pool-wire.js';

const wireNames = Object.keys(loadProtoRoot().lookupEnum('oicf.v1.Tier').values);

describe('tier identity on the wire', () => {
  it('the proto Tier enum is exactly TIER_UNSPECIFIED plus one value per tier of @oicf/core', () => {
    expect(wireNames[0]).toBe('TIER_UNSPECIFIED');
    expect([...wireNames.slice(1)].sort()).toEqual(TIERS.map((t) => t.protoName).sort());
  });

  it('round-trips every tier; unspecified and unknown names decode as undefined', () => {
    for (const id of TIER_IDS) expect(tierFromWire(tierToWire(id))).toBe(id);
    expect(tierToWire(undefined)).toBe('TIER_UNSPECIFIED');
    expect(tierFromWire('TIER_UNSPECIFIED')).toBeUndefined();
    expect(tierFromWire('TIER_TAPE')).toBeUndefined();
  });

  it('decodes only pool tiers as pool tiers (a worker HBM is none)', () => {
    expect(POOL_TIER_IDS.map((id) => poolTierFromWire(tierProtoName(id)))).toEqual(POOL_TIER_IDS);
    expect(poolTierFromWire('TIER_HBM')).toBeUndefined();
  });
});
