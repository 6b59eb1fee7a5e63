import { hexToBytes, isHex128 } from '../hash/hex.js';
import { xxhash32 } from '../hash/xxhash32.js';

/**
 * The self-describing form of a stored block: a 32-byte header followed by the payload.
 * Disk files hold exactly this; memory tiers keep the same bytes so one decoder verifies
 * every read.
 *
 *   offset  0        4        6        8                          24        28        32
 *           +--------+--------+--------+--------------------------+---------+---------+----------
 *           | magic  | version| header | block id (16 raw bytes)  | payload | xxh32   | payload…
 *           | "OKVB" | u16 =1 | u16=32 | = the 32-hex id, decoded | u32     | u32     |
 *           +--------+--------+--------+--------------------------+---------+---------+----------
 *   integers little-endian; xxh32 = XXH32(payload, seed 0), the same checksum the data plane
 *   carries, so a block verified on receipt is stored without a second pass.
 *
 * A read is accepted only if magic, version, header size, block id, payload length (against
 * the record's actual size) and checksum all match; anything else is a corrupt block.
 */

export const BLOCK_RECORD_MAGIC = Uint8Array.of(0x4f, 0x4b, 0x56, 0x42); // "OKVB"
export const BLOCK_RECORD_VERSION = 1;
export const BLOCK_RECORD_HEADER_BYTES = 32;
/** Largest payload a record can describe (u32 length). */
export const MAX_BLOCK_PAYLOAD_BYTES = 0xffff_ffff;

/** Checksum of a block payload, as stored and as carried on the wire. */
export function blockChecksum(payload: Uint8Array): number {
  return xxhash32(payload, 0);
}

/** The 32-byte header for `blockId` (already validated) and a payload of `numBytes`. */
export function encodeBlockRecordHeader(blockId: string, numBytes: number, checksum: number): Uint8Array {
  const header = new Uint8Array(BLOCK_RECORD_HEADER_BYTES);
  const view = new DataView(header.buffer);
  header.set(BLOCK_RECORD_MAGIC, 0);
  view.setUint16(4, BLOCK_RECORD_VERSION, true);
  view.setUint16(6, BLOCK_RECORD_HEADER_BYTES, true);
  header.set(hexToBytes(blockId), 8);
  view.setUint32(24, numBytes, true);
  view.setUint32(28, checksum >>> 0, true);
  return header;
}

/** Header + a copy of the payload in one new buffer. `checksum` defaults to computing it. */
export function encodeBlockRecord(blockId: string, payload: Uint8Array, checksum = blockChecksum(payload)): Uint8Array {
  const record = new Uint8Array(BLOCK_RECORD_HEADER_BYTES + payload.length);
  record.set(encodeBlockRecordHeader(blockId, payload.length, checksum), 0);
  record.set(payload, BLOCK_RECORD_HEADER_BYTES);
  return record;
}

export type DecodedBlockRecord =
  | { readonly ok: true; readonly payload: Uint8Array; readonly checksum: number }
  | { readonly ok: false; readonly problem: string };

export interface DecodedHeader {
  readonly blockIdBytes: Uint8Array;
  readonly numPayloadBytes: number;
  readonly checksum: number;
}

/** Parses and checks the fixed header fields (not the id, not the payload). */
export function decodeBlockRecordHeader(header: Uint8Array): DecodedHeader | string {
  if (header.length < BLOCK_RECORD_HEADER_BYTES) return `record of ${header.length} bytes is shorter than its header`;
  for (let i = 0; i < 4; i++) if (header[i] !== BLOCK_RECORD_MAGIC[i]) return 'bad magic';
  const view = new DataView(header.buffer, header.byteOffset, BLOCK_RECORD_HEADER_BYTES);
  const version = view.getUint16(4, true);
  if (version !== BLOCK_RECORD_VERSION) return `unsupported record version ${version}`;
  const headerBytes = view.getUint16(6, true);
  if (headerBytes !== BLOCK_RECORD_HEADER_BYTES) return `unexpected header size ${headerBytes}`;
  return {
    blockIdBytes: header.subarray(8, 24),
    numPayloadBytes: view.getUint32(24, true),
    checksum: view.getUint32(28, true),
  };
}

/**
 * Verifies a whole record against the id it was looked up by. The payload returned is a view
 * into `record` (no copy).
 */
export function decodeBlockRecord(record: Uint8Array, expectedBlockId: string): DecodedBlockRecord {
  const header = decodeBlockRecordHeader(record);
  if (typeof header === 'string') return { ok: false, problem: header };
  if (!isHex128(expectedBlockId)) return { ok: false, problem: 'expected id is not a block id' };
  const want = hexToBytes(expectedBlockId);
  for (let i = 0; i < 16; i++) {
    if (header.blockIdBytes[i] !== want[i]) return { ok: false, problem: 'record belongs to another block' };
  }
  if (record.length !== BLOCK_RECORD_HEADER_BYTES + header.numPayloadBytes) {
    return {
      ok: false,
      problem: `length mismatch: header says ${header.numPayloadBytes} payload bytes, record has ${record.length - BLOCK_RECORD_HEADER_BYTES}`,
    };
  }
  const payload = record.subarray(BLOCK_RECORD_HEADER_BYTES);
  const actual = blockChecksum(payload);
  if (actual !== header.checksum) {
    return { ok: false, problem: `checksum mismatch: stored ${hex32(header.checksum)}, computed ${hex32(actual)}` };
  }
  return { ok: true, payload, checksum: actual };
}

function hex32(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
