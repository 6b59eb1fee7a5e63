import { describe, expect, it } from 'vitest';
import { ROOT_BLOCK_ID } from '../blocks/block-chain.js';
import {
  BLOCK_RECORD_HEADER_BYTES,
  blockChecksum,
  decodeBlockRecord,
  encodeBlockRecord,
  encodeBlockRecordHeader,
} from './block-record.js';

const ID = '00112233445566778899aabbccddeeff';
const payload = Uint8Array.from({ length: 40 }, (_, i) => i * 3);

describe('block record', () => {
  it('lays out the 32-byte header as documented', () => {
    const header = encodeBlockRecordHeader(ID, 40, 0xdeadbeef);
    expect([...header.subarray(0, 8)]).toEqual([0x4f, 0x4b, 0x56, 0x42, 1, 0, 32, 0]); // "OKVB", v1, 32
    expect([...header.subarray(8, 24)]).toEqual([
      0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
    ]);
    expect([...header.subarray(24, 32)]).toEqual([40, 0, 0, 0, 0xef, 0xbe, 0xad, 0xde]);
  });

  it('round-trips and returns the payload as a view', () => {
    const record = encodeBlockRecord(ID, payload);
    expect(record.length).toBe(BLOCK_RECORD_HEADER_BYTES + 40);
    const decoded = decodeBlockRecord(record, ID);
    expect(decoded).toEqual({ ok: true, payload, checksum: blockChecksum(payload) });
  });

  it.each<[string, (r: Uint8Array) => Uint8Array, string]>([
    ['a flipped payload byte', (r) => flip(r, 40), 'checksum mismatch'],
    ['a flipped checksum byte', (r) => flip(r, 29), 'checksum mismatch'],
    ['a flipped id byte', (r) => flip(r, 9), 'record belongs to another block'],
    ['a flipped length byte', (r) => flip(r, 24), 'length mismatch'],
    ['a truncated record', (r) => r.subarray(0, r.length - 1), 'length mismatch'],
    ['bad magic', (r) => flip(r, 0), 'bad magic'],
    ['another version', (r) => flip(r, 4), 'unsupported record version 0'],
    ['a header-only stub', (r) => r.subarray(0, 10), 'shorter than its header'],
  ])('rejects %s', (_name, damage, problem) => {
    const decoded = decodeBlockRecord(damage(encodeBlockRecord(ID, payload)), ID);
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
