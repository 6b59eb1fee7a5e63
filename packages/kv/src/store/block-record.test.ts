import { describe, expect, it } from 'vitest';
import { ROOT_BLOCK_ID } from '../blocks/block-chain.js';
import { xxhash32 } from '../hash/xxhash32.js';
import {
  BLOCK_RECORD_HEADER_BYTES,
  blockChecksum,
  decodeBlockRecord,
  decodeBlockRecordHeader,
  encodeBlockRecord,
  encodeBlockRecordHeader,
} from './block-record.js';

const ID = '00112233445566778899aabbccddeeff';
const PARENT = 'ffeeddccbbaa99887766554433221100';
const META = { parentId: PARENT, position: 3, numTokens: 64 };
const payload = Uint8Array.from({ length: 40 }, (_, i) => i * 3);

describe('block record', () => {
  it('lays out the 64-byte header as documented', () => {
    const header = encodeBlockRecordHeader(ID, 40, 0xdeadbeef, META);
    expect([...header.subarray(0, 8)]).toEqual([0x4f, 0x4b, 0x56, 0x42, 1, 0, 64, 0]); // "OKVB", v1, 64
    expect(Buffer.from(header.subarray(8, 24)).toString('hex')).toBe(ID);
    expect(Buffer.from(header.subarray(24, 40)).toString('hex')).toBe(PARENT);
    expect([...header.subarray(40, 60)]).toEqual([
      3, 0, 0, 0, 64, 0, 0, 0, 40, 0, 0, 0, 0, 0, 0, 0, 0xef, 0xbe, 0xad, 0xde,
    ]);
    expect(new DataView(header.buffer).getUint32(60, true)).toBe(xxhash32(header.subarray(0, 60)));
  });

  it('round-trips payload and meta, the payload as a view', () => {
    const record = encodeBlockRecord(ID, payload, undefined, META);
    expect(record.length).toBe(BLOCK_RECORD_HEADER_BYTES + 40);
    expect(decodeBlockRecord(record, ID)).toEqual({ ok: true, payload, checksum: blockChecksum(payload), meta: META });
    const first = encodeBlockRecord(ID, payload, undefined, { position: 0, numTokens: 64 });
    expect(decodeBlockRecordHeader(first)).toMatchObject({ blockId: ID, meta: { parentId: undefined, position: 0 } });
  });

  it.each<[string, (r: Uint8Array) => Uint8Array, string]>([
    ['a flipped payload byte', (r) => flip(r, 64), 'checksum mismatch'],
    ['a flipped payload checksum byte', (r) => flip(r, 57), 'header checksum mismatch'],
    ['a flipped id byte', (r) => flip(r, 9), 'header checksum mismatch'],
    ['a flipped position byte', (r) => flip(r, 40), 'header checksum mismatch'],
    ['a flipped header checksum byte', (r) => flip(r, 61), 'header checksum mismatch'],
    ['a truncated record', (r) => r.subarray(0, r.length - 1), 'length mismatch'],
    ['bad magic', (r) => flip(r, 0), 'bad magic'],
    ['another version', (r) => flip(r, 4), 'unsupported record version 0'],
    ['a header-only stub', (r) => r.subarray(0, 10), 'shorter than its header'],
  ])('rejects %s', (_name, damage, problem) => {
    const decoded = decodeBlockRecord(damage(encodeBlockRecord(ID, payload, undefined, META)), ID);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.problem).toContain(problem);
  });

  it("rejects another block's intact record", () => {
    const decoded = decodeBlockRecord(encodeBlockRecord(ROOT_BLOCK_ID, payload), ID);
    expect(decoded).toEqual({ ok: false, problem: 'record belongs to another block' });
  });
});

function flip(record: Uint8Array, at: number): Uint8Array {
  const copy = record.slice();
  copy[at] = (copy[at] as number) ^ 0x01;
  return copy;
}
