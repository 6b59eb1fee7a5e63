import { describe, expect, it } from 'vitest';
import { loadPackageDefinition, loadProto, loadProtoRoot } from './load-proto.js';

describe('loadProto', () => {
  it.each([
    ['KvPool', ['Lookup', 'Lease', 'Release', 'Stats', 'Evict', 'Health']],
    ['Registry', ['Register', 'Heartbeat']],
    ['PrefillWorker', ['Prefill']],
    ['DecodeWorker', ['Decode', 'Cancel']],
    ['Router', ['Generate']],
  ] as const)('exposes service %s with methods %j', (service, methods) => {
    const ctor = loadProto()[service];
    expect(Object.keys(ctor.service).sort()).toEqual([...methods].sort());
  });

  it.each([
    ['DecodeWorker', 'Decode', false, true],
    ['DecodeWorker', 'Cancel', false, false],
    ['Router', 'Generate', false, true],
    ['KvPool', 'Lookup', false, false],
  ] as const)('%s.%s streams requests=%s responses=%s', (service, method, requestStream, responseStream) => {
    const def = (loadProto()[service].service as Record<string, { requestStream: boolean; responseStream: boolean }>)[
      method
    ];
    expect({ requestStream: def?.requestStream, responseStream: def?.responseStream }).toEqual({
      requestStream,
      responseStream,
    });
  });

  it('serializes with the documented options: camelCase, Number longs, String enums, Buffer bytes, defaults', () => {
    const def = loadPackageDefinition()['oicf.v1.LookupResponse'] as {
      serialize: (v: unknown) => Buffer;
      deserialize: (b: Buffer) => unknown;
    };
    const bytes = def.serialize({
      numCachedBlocks: 1,
      blocks: [{ blockId: 'ab', tier: 'TIER_CXL', sizeBytes: 2 ** 40 }],
    });
    expect(def.deserialize(bytes)).toEqual({
      numCachedBlocks: 1,
      numCachedTokens: 0,
      blocks: [{ blockId: 'ab', firstToken: 0, numTokens: 0, tier: 'TIER_CXL', sizeBytes: 2 ** 40 }],
    });
    const put = loadPackageDefinition()['oicf.v1.KvPutRequest'] as typeof def;
    const out = put.deserialize(put.serialize({ blockId: 'x', payload: Buffer.from([1, 2, 3]) })) as {
      payload: unknown;
    };
    expect(Buffer.isBuffer(out.payload)).toBe(true);
    expect([...(out.payload as Buffer)]).toEqual([1, 2, 3]);
  });

  it('reports the set member of a oneof', () => {
    const def = loadPackageDefinition()['oicf.v1.EvictRequest'] as {
      serialize: (v: unknown) => Buffer;
      deserialize: (b: Buffer) => unknown;
    };
    expect(def.deserialize(def.serialize({ freeBytes: 4096 }))).toEqual({
      freeBytes: 4096,
      tier: 'TIER_UNSPECIFIED',
      target: 'freeBytes',
    });
  });
});

describe('loadProtoRoot', () => {
  it('finds every WebSocket body type with camelCase fields', () => {
    const root = loadProtoRoot();
    const put = root.lookupType('oicf.v1.KvPutRequest');
    expect(put.fieldsArray.map((f) => f.name)).toEqual([
      'blockId',
      'parentId',
      'numTokens',
      'checksum',
      'payload',
      'sessionId',
      'ttlSeconds',
      'shm',
      'digest',
      'nextSlotBytes',
      'checksumFromPool',
    ]);
    for (const name of [
      'KvPutAck',
      'KvGetRequest',
      'KvBlock',
      'KvGetDone',
      'KvError',
      'KvHandoff',
      'KvHandoffAck',
      'ErrorDetail',
    ]) {
      expect(root.lookupType(`oicf.v1.${name}`).fullName).toBe(`.oicf.v1.${name}`);
    }
  });

  it('returns the same cached Root each time', () => {
    expect(loadProtoRoot()).toBe(loadProtoRoot());
  });
});
