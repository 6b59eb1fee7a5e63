// The fixed binary layout of `decode` and `decode.step` frames (hot-frames.ts): exact bytes for small frames
// derived by hand from the layout comment, the same Frame as the msgpack path for full bodies, the fallback
// to msgpack, and strict decoding of truncated, garbage and over-limit input.
import { unpack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_FRAME_BYTES, decodeFrame, encodeFrame, packEnvelope } from './frame-codec.js';
import type { FrameBody, FrameKind } from './frame-kinds.js';
import { decodeFrameParts, encodeFrameParts } from './frame-parts.js';
import { OicfError } from './oicf-error.js';

// Encoding for a peer that said it reads the layout (`hotFrames`, negotiated at the WebSocket upgrade).
const hotEncode = <K extends FrameKind>(kind: K, id: string, body: FrameBody<K>, max = DEFAULT_MAX_FRAME_BYTES) =>
  encodeFrame(kind, id, body, max, true);
const hotEncodeParts = <K extends FrameKind>(kind: K, id: string, body: FrameBody<K>) =>
  encodeFrameParts(kind, id, body, DEFAULT_MAX_FRAME_BYTES, true);

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const z = (n: number) => '00'.repeat(n);

// decode.step, id "*", one output: firstTokenIndex 0, chunk { requestId "a", tokenIds [7], finish STOP, stepSeconds 0.5 }
const STEP_BODY = {
  outputs: [
    {
      firstTokenIndex: 0,
      chunk: { requestId: 'a', tokenIds: [7], finishReason: 'FINISH_REASON_STOP', stepSeconds: 0.5 },
    },
  ],
} as const;
const STEP_BYTES = hex(
  [
    'c1 02', // marker, type 2 (decode.step)
    '0100 2a', // id "*"
    '01000000', // 1 output
    '00000000', // firstTokenIndex 0
    '01', // has chunk
    '0100 61', // requestId "a"
    '01000000 07000000', // tokenIds [7]
    '00000000', // text: 0 bytes
    '01', // finishReason 1 (STOP)
    z(8), // emittedAfterSeconds 0
    '000000000000e03f', // stepSeconds 0.5 = 0x3fe0000000000000, little-endian
    '00 00 00', // no usage, timings, error
    '00000000', // 0 logprobs
  ].join(''),
);

// decode, id "r1", body { requestId "r1", promptTokenIds [1, 2], maxTokens 4 }
const DECODE_BYTES = hex(
  [
    'c1 01', // marker, type 1 (decode)
    '0200 7231', // id "r1"
    '0200 7231', // requestId "r1"
    '02000000 01000000 02000000', // promptTokenIds [1, 2]
    '00000000', // promptBlocks: 0
    '00000000', // kvSources: 0
    '00000000 00000000 04000000', // numHandoffTokens 0, firstTokenId 0, maxTokens 4
    '00', // no sampling
    '0000', // sessionId ""
    z(16), // sessionTtlSeconds 0, kvWaitSeconds 0
    '00000000', // numAwaitPrefixTokens 0
    '0000', // awaitPrefixRequestId ""
    '00000000', // resumeTokenIds: 0
  ].join(''),
);

function failure(data: Uint8Array) {
  const r = decodeFrame(data);
  if (r.ok) throw new Error('expected the frame to be refused');
  return r;
}

describe('hot frames: exact bytes', () => {
  it('a one-token decode.step frame is the bytes derived by hand', () => {
    expect(hotEncode('decode.step', '*', STEP_BODY as never)).toEqual(STEP_BYTES);
    expect(hotEncodeParts('decode.step', '*', STEP_BODY as never)).toEqual([STEP_BYTES]);
  });

  it('a small decode frame is the bytes derived by hand', () => {
    expect(hotEncode('decode', 'r1', { requestId: 'r1', promptTokenIds: [1, 2], maxTokens: 4 })).toEqual(DECODE_BYTES);
  });

  it('decodes the hand-made bytes to the frame the msgpack path gives for the same body', () => {
    const hot = decodeFrame(DECODE_BYTES);
    const mp = decodeFrame(packEnvelope('decode', 'r1', { requestId: 'r1', promptTokenIds: [1, 2], maxTokens: 4 }));
    expect(hot).toEqual(mp);
    expect(hot.ok && hot.frame.kind === 'decode' && hot.frame.body.maxTokens).toBe(4);
  });
});

describe('hot frames: same Frame as the msgpack path', () => {
  const block = (i: number) => ({
    blockId: `b${i}`,
    firstToken: 16 * i,
    numTokens: 16,
    tier: i === 0 ? 'TIER_HBM' : 3,
    sizeBytes: 2 ** 40 + i,
  });
  const decodeBody = {
    requestId: 'req-ü-1',
    promptTokenIds: [0, 1, 0xffffffff],
    promptBlocks: [block(0), block(1)],
    kvSources: [{ wsAddress: 'ws://127.0.0.1:4000', leaseId: 'l1', blocks: [block(2)] }],
    numHandoffTokens: 3,
    firstTokenId: 42,
    maxTokens: 16,
    sampling: {
      temperature: 0.7,
      topP: 0.9,
      topK: 5,
      seed: 2 ** 50 + 3,
      stopTokenIds: [2],
      logprobs: true,
      numTopLogprobs: 2,
    },
    sessionId: 's',
    sessionTtlSeconds: 1.25,
    kvWaitSeconds: 3,
    numAwaitPrefixTokens: 32,
    awaitPrefixRequestId: 'other',
    resumeTokenIds: [9, 8],
  };
  const stepBody = {
    outputs: [
      {
        firstTokenIndex: 5,
        chunk: {
          requestId: 'x',
          tokenIds: [1, 2],
          text: Buffer.from('hé'),
          emittedAfterSeconds: 0.01,
          stepSeconds: 0.002,
          logprobs: [
            { tokenId: 1, logprob: -0.5, topLogprobs: [{ tokenId: 1, logprob: -0.5 }] },
            { tokenId: 2, logprob: -1 },
          ],
        },
      },
      {
        firstTokenIndex: 9,
        chunk: {
          requestId: 'y',
          tokenIds: [],
          finishReason: 'FINISH_REASON_ERROR',
          usage: { numPromptTokens: 10, numCompletionTokens: 9, numCachedPromptTokens: 0 },
          timings: { queueSeconds: 0.1, kvReceiveSeconds: 0.2, decodeSeconds: 0.3 },
          error: { code: 'INTERNAL', message: 'boom', field: '' },
        },
      },
      { firstTokenIndex: 0 },
    ],
  };

  it('decode: every field, nested blocks and sampling', () => {
    const data = hotEncode('decode', 'req-1', decodeBody as never);
    expect(data[0]).toBe(0xc1);
    expect(decodeFrame(data)).toEqual(decodeFrame(packEnvelope('decode', 'req-1', decodeBody)));
  });

  it('decode.step: tokens, text, logprobs, a finish with usage, timings and error, an output without a chunk', () => {
    const data = hotEncode('decode.step', '*', stepBody as never);
    expect(data[0]).toBe(0xc1);
    const hot = decodeFrame(data);
    expect(hot).toEqual(decodeFrame(packEnvelope('decode.step', '*', stepBody)));
    expect(decodeFrameParts([data])).toEqual(hot);
  });

  it('a body the layout cannot carry goes out as msgpack; a bad one gets the msgpack path error', () => {
    const unknownKey = { requestId: 'r', maxTokens: 1, promptTokenIds: [1], extra: 1 };
    expect(() => hotEncode('decode', 'r', unknownKey as never)).toThrow(/extra/);
    const long = { requestId: 'r'.repeat(70_000), maxTokens: 1 };
    const data = hotEncode('decode', 'r', long);
    expect(unpack(data)).toMatchObject({ v: 1, kind: 'decode', id: 'r' }); // a msgpack envelope
    expect(decodeFrame(data).ok).toBe(true);
    try {
      hotEncode('decode', 'r', { requestId: 'r', maxTokens: -1 });
      throw new Error('expected a throw');
    } catch (err) {
      expect(err).toBeInstanceOf(OicfError);
      expect((err as OicfError).code).toBe('INVALID_ARGUMENT');
      expect((err as OicfError).message).toMatch(/maxTokens/);
    }
    expect(() => hotEncode('decode', '', { requestId: 'r' })).toThrow(/frame id/);
  });

  it('without hotFrames (a peer that did not say it reads the layout) decode and decode.step are msgpack', () => {
    const step = encodeFrame('decode.step', '*', STEP_BODY as never);
    expect(step[0]).not.toBe(0xc1);
    expect(unpack(step)).toMatchObject({ v: 1, kind: 'decode.step', id: '*' });
    expect(decodeFrame(step)).toEqual(decodeFrame(STEP_BYTES));
    const parts = encodeFrameParts('decode', 'r1', { requestId: 'r1', promptTokenIds: [1, 2], maxTokens: 4 });
    expect(parts).toHaveLength(1);
    expect(unpack(parts[0] as Uint8Array)).toMatchObject({ v: 1, kind: 'decode', id: 'r1' });
    expect(decodeFrameParts(parts)).toEqual(decodeFrame(DECODE_BYTES));
  });

  it('other kinds stay msgpack', () => {
    expect(unpack(hotEncode('cancel', 'r', { requestId: 'r', reason: 'x' }))).toMatchObject({ kind: 'cancel' });
    expect(unpack(hotEncode('plane.credit', '*', { numFrames: 2 }))).toMatchObject({ kind: 'plane.credit' });
  });
});

describe('hot frames: strict decoding', () => {
  it('every truncation of a step frame is refused, naming a field; none throws', () => {
    for (let n = 1; n < STEP_BYTES.byteLength; n++) {
      const r = failure(STEP_BYTES.subarray(0, n));
      expect(r.error.message).toMatch(/truncated|count/);
      expect(r.error.field).not.toBe('');
    }
  });

  it('a cut inside the token ids names body.outputs[0].chunk.tokenIds, keeps the id, and is not fatal', () => {
    const r = failure(STEP_BYTES.subarray(0, 2 + 3 + 4 + 4 + 1 + 3 + 4 + 2));
    expect(r.error.code).toBe('INVALID_ARGUMENT');
    expect(r.error.field).toBe('body.outputs[0].chunk.tokenIds');
    expect(r.error.message).toBe(
      'bad decode.step body: body.outputs[0].chunk.tokenIds: count 1 needs at least 4 bytes, the frame has 2 left',
    );
    expect(r.id).toBe('*');
    expect(r.fatal).toBe(false);
  });

  it('a frame of the marker alone, or of an unknown type, is a fatal protocol error naming `type`', () => {
    const alone = failure(hex('c1'));
    expect([alone.error.code, alone.error.field, alone.fatal]).toEqual(['PROTOCOL_ERROR', 'type', true]);
    const garbage = failure(hex('c1 ff 00 13'));
    expect(garbage.error.message).toBe(
      'bad binary frame header: type: unknown binary frame type 255: this peer reads 1 (decode) and 2 (decode.step)',
    );
    expect(garbage.fatal).toBe(true);
  });

  it('an id over 128 characters is a fatal protocol error naming `id`', () => {
    const id = 'i'.repeat(129);
    const data = Buffer.concat([hex('c1 02 8100'), Buffer.from(id), hex('00000000')]);
    const r = failure(data);
    expect([r.error.code, r.error.field, r.fatal]).toEqual(['PROTOCOL_ERROR', 'id', true]);
  });

  it('garbage inside the body: a has-byte of 2, an enum number the proto lacks, a trailing byte', () => {
    const flag = Buffer.from(STEP_BYTES);
    flag[2 + 3 + 4 + 4] = 2; // the `has chunk` byte
    expect(failure(flag).error.message).toBe('bad decode.step body: body.outputs[0].chunk: expected 0 or 1, got 2');
    const reason = Buffer.from(STEP_BYTES);
    reason[2 + 3 + 4 + 4 + 1 + 3 + 8 + 4] = 9; // finishReason
    expect(failure(reason).error.field).toBe('body.outputs[0].chunk.finishReason');
    const trailing = Buffer.concat([STEP_BYTES, hex('00')]);
    expect(failure(trailing).error.message).toBe('bad decode.step body: body: 1 bytes after the end of the body');
    expect(failure(Buffer.concat([DECODE_BYTES, hex('ff')])).id).toBe('r1');
  });

  it('over-limit: a count far beyond the bytes left, and a frame over maxFrameBytes', () => {
    const big = Buffer.from(DECODE_BYTES);
    big.writeUInt32LE(0xffffffff, 2 + 4 + 4); // promptTokenIds count
    const r = failure(big);
    expect(r.error.field).toBe('body.promptTokenIds');
    expect(r.error.message).toMatch(/count 4294967295 needs at least 17179869180 bytes/);
    const over = decodeFrame(STEP_BYTES, STEP_BYTES.byteLength - 1);
    expect(over.ok === false && over.error.code).toBe('FRAME_TOO_LARGE');
    expect(() => hotEncode('decode.step', '*', STEP_BODY as never, 10)).toThrow(/over the 10-byte limit/);
  });

  it('a uint64 at or above 2^53 is refused, naming the field', () => {
    const body = { requestId: 'r', promptBlocks: [{ blockId: 'b', sizeBytes: 1 }] };
    const data = Buffer.from(hotEncode('decode', 'r', body));
    // sizeBytes' high word: after marker/type, id, requestId, 0 prompt ids, block count, blockId, 2 u32, tier
    data.writeUInt32LE(0x200000, 2 + 3 + 3 + 4 + 4 + 3 + 8 + 1 + 4);
    expect(failure(data).error.field).toBe('body.promptBlocks[0].sizeBytes');
  });
});
