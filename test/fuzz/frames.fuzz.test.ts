// WebSocket frames on arbitrary input (issue 14.6): the decoder on raw bytes and on msgpack envelopes of any
// shape never throws and explains each refusal; a real kv-pool data plane (127.0.0.1, port 0) answers every
// fuzzed frame with an answer or an `error` frame, or closes that connection with a code — never silence —
// and keeps serving other connections.
import { chainBlockIds } from '@oicf/kv';
import { contractBytes } from '@oicf/kv/testing';
import { kvPoolConfigSchema } from '@oicf/kv-pool/config';
import { startKvPool } from '@oicf/kv-pool/server';
import { connectKvPool } from '@oicf/pool-client';
import { decodeFrame, ERROR_CODES, FRAME_KINDS } from '@oicf/transport';
import fc from 'fast-check';
import { Packr } from 'msgpackr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { within } from './fuzz-budget.js';
import { fuzzProperty } from './fuzz-property.js';

const packr = new Packr({ useRecords: false });
const codes = new Set<string>(ERROR_CODES);
const kinds = Object.keys(FRAME_KINDS);

/** Envelopes of every shape: right and wrong versions, known and unknown kinds, bodies of any JSON. */
const envelope = fc.oneof(
  fc.record(
    {
      v: fc.oneof(fc.constant(1), fc.integer(), fc.string()),
      kind: fc.oneof(fc.constantFrom(...kinds), fc.string({ maxLength: 20 })),
      id: fc.oneof(fc.string({ maxLength: 40 }), fc.constant('x'.repeat(300)), fc.integer()),
      body: fc.oneof(
        fc.jsonValue(),
        fc.record(
          {
            blockId: fc.jsonValue(),
            payload: fc.uint8Array({ maxLength: 64 }),
            blockIds: fc.jsonValue(),
            leaseId: fc.jsonValue(),
          },
          { requiredKeys: [] },
        ),
      ),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue(),
);

const rawOrEnvelope = fc.oneof(
  fc.uint8Array({ maxLength: 512 }),
  envelope.map((e) => new Uint8Array(packr.pack(e))),
);

describe('frames under fuzzing', () => {
  it('decodeFrame: never throws; a refusal has a known code and a message', async () => {
    await fuzzProperty('ws-frame-decode', rawOrEnvelope, 3000, (bytes) => {
      const r = decodeFrame(bytes, 1 << 20);
      if (!r.ok && !(codes.has(r.error.code) && r.error.message.length > 0)) {
        throw new Error(`unclear refusal: ${r.error.code} ${r.error.message}`);
      }
    });
  });

  describe('a live kv-pool data plane', () => {
    let pool: Awaited<ReturnType<typeof startKvPool>>;
    let ws: string;
    let grpc: string;
    beforeAll(async () => {
      const config = kvPoolConfigSchema.parse({
        drainTimeoutSeconds: 1,
        maxBlockBytes: 1 << 20,
        tiers: { dram: { capacityBytes: 1 << 22 } },
      });
      pool = await startKvPool(config, { handleSignals: false, log: () => {} });
      ({ ws, grpc } = pool.service.endpoints as { ws: string; grpc: string });
    });
    afterAll(async () => {
      await pool.service.shutdown('fuzz done');
    });

    /** Sends one frame on a fresh connection: resolves with the first answer or the close code. */
    const sendOne = (bytes: Uint8Array) =>
      new Promise<{ answer: Buffer } | { close: number }>((resolve, reject) => {
        const socket = new WebSocket(ws);
        socket.once('open', () => socket.send(bytes, { binary: true }));
        socket.once('message', (data: Buffer) => {
          resolve({ answer: data });
          socket.terminate();
        });
        socket.once('close', (code) => resolve({ close: code }));
        socket.once('error', reject);
      });

    it('answers every fuzzed frame (an answer, an error frame, or a close code) and keeps serving', async () => {
      await fuzzProperty('ws-frame-live', rawOrEnvelope, 150, async (bytes) => {
        const outcome = await within(5, 'kv-pool ws', sendOne(bytes));
        if ('close' in outcome) {
          if (outcome.close === 1000 || outcome.close === 1006)
            throw new Error(`closed without a reason code (${outcome.close})`);
          return;
        }
        const decoded = decodeFrame(outcome.answer);
        if (!decoded.ok) throw new Error(`the pool answered an undecodable frame: ${decoded.error.message}`);
        if (
          decoded.frame.kind === 'error' &&
          !(codes.has(decoded.frame.body.code) && decoded.frame.body.message.length > 0)
        ) {
          throw new Error(`unclear error frame: ${JSON.stringify(decoded.frame.body)}`);
        }
      });
      // Still serving: a normal put and get on a new connection.
      const c = await connectKvPool({ ws, grpc });
      const [id] = chainBlockIds(Array.from({ length: 64 }, (_, i) => i));
      await c.put({ blockId: id as string, payload: contractBytes(1, 1024) });
      expect((await c.get([id as string])).blocks.size).toBe(1);
      await c.close();
    });
  });
});
