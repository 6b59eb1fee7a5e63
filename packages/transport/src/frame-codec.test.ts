import { pack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame } from './frame-codec.js';
import { FRAME_KINDS, type FrameKind } from './frame-kinds.js';

const payload = Buffer.from([0xde, 0xad, 0xbe, 0xef]);

function decodeOk(data: Uint8Array) {
  const r = decodeFrame(data);
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.frame;
}

function decodeErr(data: Uint8Array, maxFrameBytes?: number) {
  const r = decodeFrame(data, maxFrameBytes);
  if (r.ok) throw new Error('expected a decode failure');
  return { code: r.error.code, field: r.error.field, id: r.id, fatal: r.fatal, message: r.error.message };
}

describe('frame round trip', () => {
  // Sent body → the receiver's normalised body (every field present, enums by name, bytes as Buffer).
  const cases: Array<[FrameKind, Record<string, unknown>, Record<string, unknown>]> = [
    [
      'kv.put',
      { blockId: 'a1', parentId: 'a0', numTokens: 64, checksum: 0xffffffff, payload, sessionId: 's', ttlSeconds: 30 },
      {
        blockId: 'a1',
        parentId: 'a0',
        numTokens: 64,
        checksum: 0xffffffff,
        payload,
        sessionId: 's',
        ttlSeconds: 30,
        shm: null,
        digest: Buffer.alloc(0),
        nextSlotBytes: 0,
        checksumFromPool: false,
      },
    ],
    [
      'kv.put.ack',
      { blockId: 'a1', tier: 'TIER_DRAM' },
      { blockId: 'a1', tier: 'TIER_DRAM', alreadyPresent: false, storedBytes: 0, nextSlot: null },
    ],
    [
      'kv.put.ack',
      { blockId: 'a1', tier: 4 },
      { blockId: 'a1', tier: 'TIER_OPTICAL_POOL', alreadyPresent: false, storedBytes: 0, nextSlot: null },
    ],
    ['kv.get', { blockIds: ['a0', 'a1'], leaseId: 'L' }, { blockIds: ['a0', 'a1'], leaseId: 'L', wantShm: false }],
    [
      'kv.block',
      { blockId: 'a0', payload, tier: 'TIER_DISK' },
      { blockId: 'a0', checksum: 0, payload, numTokens: 0, tier: 'TIER_DISK', shm: null, digest: Buffer.alloc(0) },
    ],
    [
      'kv.block',
      { blockId: 'a0', checksum: 9, shm: { segmentId: 1, offset: 2 ** 33, length: 262_144 } },
      {
        blockId: 'a0',
        checksum: 9,
        payload: Buffer.alloc(0),
        numTokens: 0,
        tier: 'TIER_UNSPECIFIED',
        shm: { segmentId: 1, offset: 2 ** 33, length: 262_144 },
        digest: Buffer.alloc(0),
      },
    ],
    [
      'kv.get.done',
      { numBlocksSent: 1, numBytesSent: 2 ** 40, missingBlockIds: ['a1'] },
      { numBlocksSent: 1, numBytesSent: 2 ** 40, missingBlockIds: ['a1'], readLeaseId: '' },
    ],
    [
      'kv.error',
      { blockId: 'a1', error: { code: 'CHECKSUM_MISMATCH', message: 'm' } },
      { blockId: 'a1', error: { code: 'CHECKSUM_MISMATCH', message: 'm', field: '' } },
    ],
    [
      'kv.handoff',
      { requestId: 'r', firstToken: 128, numTokens: 7, payload, last: true },
      { requestId: 'r', blockId: '', firstToken: 128, numTokens: 7, checksum: 0, payload, last: true, shm: null },
    ],
    [
      'kv.hello',
      { hostId: 'h', segments: [{ segmentId: 3, path: '/proc/1/fd/9', nonce: 'n', sizeBytes: 2 ** 32 }] },
      { hostId: 'h', segments: [{ segmentId: 3, path: '/proc/1/fd/9', nonce: 'n', sizeBytes: 2 ** 32 }] },
    ],
    ['kv.hello.ack', { hostId: 'h', shm: true }, { hostId: 'h', shm: true, reason: '', segments: [] }],
    ['kv.put.alloc', { blockId: 'a1', numBytes: 4096 }, { blockId: 'a1', numBytes: 4096 }],
    [
      'kv.put.slot',
      { extent: { segmentId: 1, offset: 4096, length: 4096 }, ttlSeconds: 30 },
      { extent: { segmentId: 1, offset: 4096, length: 4096 }, ttlSeconds: 30 },
    ],
    [
      'kv.put.unslot',
      { extents: [{ segmentId: 1, offset: 4096, length: 4096 }] },
      { extents: [{ segmentId: 1, offset: 4096, length: 4096 }] },
    ],
    ['kv.get.release', { readLeaseId: 'r1' }, { readLeaseId: 'r1' }],
    ['kv.handoff.ack', { requestId: 'r', numBlocks: 3 }, { requestId: 'r', numBlocks: 3, numBytes: 0 }],
    [
      'generate',
      { requestId: 'g', tokenIds: { ids: [1, 2] }, maxTokens: 4 },
      {
        requestId: 'g',
        tokenIds: { ids: [1, 2] },
        prompt: 'tokenIds',
        maxTokens: 4,
        sampling: null,
        sessionId: '',
        sessionTtlSeconds: 0,
        stream: false,
        stop: [],
      },
    ],
    [
      'generate.chunk',
      { requestId: 'g', tokenIds: [104], text: 'h' },
      {
        requestId: 'g',
        tokenIds: [104],
        text: 'h',
        finishReason: 'FINISH_REASON_UNSPECIFIED',
        usage: null,
        routing: null,
        ttftSeconds: 0,
        e2eSeconds: 0,
        error: null,
        logprobs: [],
      },
    ],
    [
      'generate.done',
      { requestId: 'g', finishReason: 'FINISH_REASON_LENGTH', e2eSeconds: 0.5 },
      {
        requestId: 'g',
        tokenIds: [],
        text: '',
        finishReason: 'FINISH_REASON_LENGTH',
        usage: null,
        routing: null,
        ttftSeconds: 0,
        e2eSeconds: 0.5,
        error: null,
        logprobs: [],
      },
    ],
    [
      'decode',
      { requestId: 'r', promptTokenIds: [1, 2], maxTokens: 3 },
      {
        requestId: 'r',
        promptTokenIds: [1, 2],
        promptBlocks: [],
        kvSources: [],
        numHandoffTokens: 0,
        firstTokenId: 0,
        maxTokens: 3,
        sampling: null,
        sessionId: '',
        sessionTtlSeconds: 0,
        kvWaitSeconds: 0,
        numAwaitPrefixTokens: 0,
        awaitPrefixRequestId: '',
        resumeTokenIds: [],
      },
    ],
    [
      // Waiting for an in-flight prefix (issue 16.1): the fields reach the decode worker over the plane.
      'decode',
      {
        requestId: 'r',
        promptTokenIds: [1, 2],
        maxTokens: 3,
        numAwaitPrefixTokens: 64,
        awaitPrefixRequestId: 'a',
        kvWaitSeconds: 7,
      },
      {
        requestId: 'r',
        promptTokenIds: [1, 2],
        promptBlocks: [],
        kvSources: [],
        numHandoffTokens: 0,
        firstTokenId: 0,
        maxTokens: 3,
        sampling: null,
        sessionId: '',
        sessionTtlSeconds: 0,
        kvWaitSeconds: 7,
        numAwaitPrefixTokens: 64,
        awaitPrefixRequestId: 'a',
        resumeTokenIds: [],
      },
    ],
    [
      // A migrated request (docs/reliability.md): the tokens already relayed reach the new decode worker.
      'decode',
      { requestId: 'r', promptTokenIds: [1, 2], maxTokens: 5, resumeTokenIds: [7, 8] },
      {
        requestId: 'r',
        promptTokenIds: [1, 2],
        promptBlocks: [],
        kvSources: [],
        numHandoffTokens: 0,
        firstTokenId: 0,
        maxTokens: 5,
        sampling: null,
        sessionId: '',
        sessionTtlSeconds: 0,
        kvWaitSeconds: 0,
        numAwaitPrefixTokens: 0,
        awaitPrefixRequestId: '',
        resumeTokenIds: [7, 8],
      },
    ],
    [
      'prefill',
      { requestId: 'r', tokenIds: [1, 2] },
      {
        requestId: 'r',
        tokenIds: [1, 2],
        cachedPrefix: [],
        decodeWsAddress: '',
        poolWsAddress: '',
        sessionId: '',
        sessionTtlSeconds: 0,
        sampling: null,
        numDecodeCachedTokens: 0,
      },
    ],
    [
      'prefill.done',
      { requestId: 'r', firstTokenId: 7 },
      {
        requestId: 'r',
        firstTokenId: 7,
        numCachedTokens: 0,
        numComputedTokens: 0,
        kvBytesSent: 0,
        blocks: [],
        timings: null,
        firstTokenLogprob: null,
      },
    ],
    ['cancel', { requestId: 'r', reason: 'client disconnected' }, { requestId: 'r', reason: 'client disconnected' }],
    ['plane.credit', { numFrames: 64 }, { numFrames: 64 }],
    [
      'decode.step',
      { outputs: [{ firstTokenIndex: 3, chunk: { requestId: 'r', tokenIds: [104] } }] },
      {
        outputs: [
          {
            firstTokenIndex: 3,
            chunk: {
              requestId: 'r',
              tokenIds: [104],
              text: Buffer.alloc(0),
              finishReason: 'FINISH_REASON_UNSPECIFIED',
              emittedAfterSeconds: 0,
              stepSeconds: 0,
              usage: null,
              timings: null,
              error: null,
              logprobs: [],
            },
          },
        ],
      },
    ],
    [
      'error',
      { code: 'NOT_FOUND', message: 'no such lease' },
      { code: 'NOT_FOUND', message: 'no such lease', field: '' },
    ],
  ];

  it.each(cases)('%s: %j', (kind, body, expected) => {
    const frame = decodeOk(encodeFrame(kind, 'req-1', body as never));
    expect(frame).toEqual({ v: 1, kind, id: 'req-1', body: expected });
  });

  it('covers every registered kind', () => {
    expect(new Set(cases.map((c) => c[0]))).toEqual(new Set(Object.keys(FRAME_KINDS)));
  });

  it('decodes a 1 MiB payload as a view into the received frame (no copy)', () => {
    const big = Buffer.alloc(1 << 20, 7);
    const data = encodeFrame('kv.block', 'b', { blockId: 'x', payload: big });
    const frame = decodeOk(data);
    if (frame.kind !== 'kv.block') throw new Error('wrong kind');
    expect(frame.body.payload.buffer).toBe(data.buffer);
    expect(frame.body.payload.equals(big)).toBe(true);
  });
});

describe('frame encode buffers', () => {
  it('stay intact after later encodes (sends are queued, so an encoded frame must not be overwritten)', () => {
    // msgpackr packs into a shared slab; each result must be its own region of it.
    const first = encodeFrame('kv.put', 'first', { blockId: 'a', payload: Buffer.alloc(100, 1) });
    const snapshot = Buffer.from(first);
    for (let i = 0; i < 2000; i++) encodeFrame('kv.put', `n${i}`, { blockId: 'b', payload: Buffer.alloc(i * 10, 2) });
    expect(first.equals(snapshot)).toBe(true);
  });
});

describe('frame decode refuses', () => {
  const good = encodeFrame('kv.get', 'id-7', { blockIds: ['a'] });

  it.each([
    ['oversize', good, good.byteLength - 1, { code: 'FRAME_TOO_LARGE', field: '', id: undefined, fatal: true }],
    ['not msgpack', Buffer.from('hello'), undefined, { code: 'PROTOCOL_ERROR', field: '', id: undefined, fatal: true }],
    [
      'not a map',
      pack([1, 'kv.get', 'id', {}]),
      undefined,
      { code: 'PROTOCOL_ERROR', field: '', id: undefined, fatal: true },
    ],
    [
      'version 2',
      pack({ v: 2, kind: 'kv.get', id: 'i', body: {} }),
      undefined,
      { code: 'PROTOCOL_ERROR', field: 'v', id: 'i', fatal: true },
    ],
    [
      'no id',
      pack({ v: 1, kind: 'kv.get', body: {} }),
      undefined,
      { code: 'PROTOCOL_ERROR', field: 'id', id: undefined, fatal: true },
    ],
    [
      'unknown kind',
      pack({ v: 1, kind: 'kv.teleport', id: 'i', body: {} }),
      undefined,
      { code: 'UNKNOWN_KIND', field: 'kind', id: 'i', fatal: true },
    ],
  ] as const)('%s', (_name, data, max, expected) => {
    expect(decodeErr(data, max)).toMatchObject(expected);
  });

  it.each([
    // [body, field, problem]: a bad body is request-scoped (not fatal) and names the field.
    [{ blockId: 7 }, 'body.blockId', 'expected a string, got number 7'],
    [{ numTokens: -1 }, 'body.numTokens', 'expected a uint32 (integer 0..4294967295), got number -1'],
    [{ numTokens: 2 ** 32 }, 'body.numTokens', 'expected a uint32 (integer 0..4294967295), got number 4294967296'],
    [{ checksum: 1.5 }, 'body.checksum', 'expected a uint32 (integer 0..4294967295), got number 1.5'],
    [{ payload: 'AAAA' }, 'body.payload', 'expected bytes (Buffer or Uint8Array), got the string "AAAA"'],
    [{ ttlSeconds: '3' }, 'body.ttlSeconds', 'expected a number, got the string "3"'],
    [
      { blockID: 'x' },
      'body.blockID',
      'unknown field; KvPutRequest has blockId, parentId, numTokens, checksum, payload, sessionId, ttlSeconds, shm, digest, nextSlotBytes, checksumFromPool',
    ],
  ])('kv.put body %j → INVALID_ARGUMENT at %s', (body, field, problem) => {
    const err = decodeErr(pack({ v: 1, kind: 'kv.put', id: 'p1', body }));
    expect(err).toEqual({
      code: 'INVALID_ARGUMENT',
      field,
      id: 'p1',
      fatal: false,
      message: `bad kv.put body: ${field}: ${problem}`,
    });
  });

  it('names the index of a bad element and checks nested messages', () => {
    expect(decodeErr(pack({ v: 1, kind: 'kv.get', id: 'g', body: { blockIds: ['a', 3] } })).field).toBe(
      'body.blockIds[1]',
    );
    expect(decodeErr(pack({ v: 1, kind: 'kv.error', id: 'e', body: { error: { code: 5 } } })).field).toBe(
      'body.error.code',
    );
    expect(decodeErr(pack({ v: 1, kind: 'kv.block', id: 'b', body: { tier: 'TIER_HBM2' } })).message).toBe(
      'bad kv.block body: body.tier: expected one of TIER_UNSPECIFIED, TIER_HBM, TIER_DRAM, TIER_CXL, TIER_OPTICAL_POOL, TIER_DISK, got the string "TIER_HBM2"',
    );
  });
});

describe('frame encode refuses', () => {
  it('a body that does not match its message, naming the field', () => {
    expect(() => encodeFrame('kv.get', 'x', { blockIds: 'a' as never })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'body.blockIds' }),
    );
  });
  it('a frame over the size limit', () => {
    expect(() => encodeFrame('kv.put', 'x', { payload: Buffer.alloc(2048) }, 1024)).toThrow(
      expect.objectContaining({ code: 'FRAME_TOO_LARGE' }),
    );
  });
  it('an unknown kind or an empty id', () => {
    expect(() => encodeFrame('kv.nope' as FrameKind, 'x', {} as never)).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_KIND' }),
    );
    expect(() => encodeFrame('kv.get', '', {})).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'id' }),
    );
  });
});
