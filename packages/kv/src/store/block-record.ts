import { ROOT_BLOCK_ID } from '../blocks/block-chain.js';
import { bytesToHex, hexToBytes, isHex128 } from '../hash/hex.js';
import { xxhash32 } from '../hash/xxhash32.js';

/**
 * The self-describing form of a stored block: a 64-byte header followed by the payload.
 * Disk files hold exactly this; memory tiers keep the same bytes, so one decoder verifies
 * every read.
 *
 *   offset  0       4        6         8               24              40        44         48         52        56        60        64
 *           +-------+--------+---------+---------------+---------------+---------+----------+----------+---------+---------+---------+--------
 *           | magic | version| header  | block id      | parent id     | position| numTokens| payload  | reserved| payload | header  | payload
 *           | OKVB  | u16 =1 | u16 =64 | 16 raw bytes  | 16 raw bytes  | u32     | u32      | bytes u32| u32 = 0 | xxh32   | xxh32   | …
 *           +-------+--------+---------+---------------+---------------+---------+----------+----------+---------+---------+---------+--------
 *   integers little-endian; parent id all zero = none (the first block of a chain);
 *   payload xxh32 = XXH32(payload, seed 0), the checksum the data plane carries, so a block
 *   verified on receipt is stored without a second pass; header xxh32 = XXH32(bytes 0..60).
 *
 * A read is accepted only if magic, version, header size, header checksum, block id, payload
 * length (against the record's actual size) and payload checksum all match.
 */

export const BLOCK_RECORD_MAGIC = Uint8Array.of(0x4f, 0x4b, 0x56, 0x42); // "OKVB"
export const BLOCK_RECORD_VERSION = 1;
export const BLOCK_RECORD_HEADER_BYTES = 64;
/** Largest payload a record can describe (u32 length). */
export const MAX_BLOCK_PAYLOAD_BYTES = 0xffff_ffff;

/** What a store keeps about a block besides its bytes (enough to rebuild a pool's index). */
export interface BlockMeta {
  /** Previous block of the chain; undefined for the first block. */
  readonly parentId?: string | undefined;
  /** 0-based index of the block in its chain. */
  readonly position: number;
  /** Tokens the block covers. */
  readonly numTokens: number;
}

export const NO_META: BlockMeta = { parentId: undefined, position: 0, numTokens: 0 };

/** Checksum of a block payload, as stored and as carried on the wire. */
export function blockChecksum(payload: Uint8Array): number {
  return xxhash32(payload, 0);
}

/** The 64-byte header; ids must already be valid block ids. */
export function encodeBlockRecordHeader(
  blockId: string,
  numBytes: number,
  checksum: number,
  meta: BlockMeta = NO_META,
): Uint8Array {
  const header = new Uint8Array(BLOCK_RECORD_HEADER_BYTES);
  const view = new DataView(header.buffer);
  header.set(BLOCK_RECORD_MAGIC, 0);
  view.setUint16(4, BLOCK_RECORD_VERSION, true);
  view.setUint16(6, BLOCK_RECORD_HEADER_BYTES, true);
  header.set(hexToBytes(blockId), 8);
  header.set(hexToBytes(meta.parentId ?? ROOT_BLOCK_ID), 24);
  view.setUint32(40, meta.position, true);
  view.setUint32(44, meta.numTokens, true);
  view.setUint32(48, numBytes, true);
  view.setUint32(56, checksum >>> 0, true);
  view.setUint32(60, xxhash32(header.subarray(0, 60), 0), true);
  return header;
}

/** Header + a copy of the payload in one new buffer. `checksum` defaults to computing it. */
export function encodeBlockRecord(
  blockId: string,
  payload: Uint8Array,
  checksum = blockChecksum(payload),
  meta: BlockMeta = NO_META,
): Uint8Array {
  const record = new Uint8Array(BLOCK_RECORD_HEADER_BYTES + payload.length);
  record.set(encodeBlockRecordHeader(blockId, payload.length, checksum, meta), 0);
  record.set(payload, BLOCK_RECORD_HEADER_BYTES);
  return record;
}

export interface DecodedHeader {
  readonly blockId: string;
  readonly numPayloadBytes: number;
  readonly checksum: number;
  readonly meta: BlockMeta;
}

/** Parses and checks the header (magic, version, size, header checksum); a string says what is wrong. */
export function decodeBlockRecordHeader(header: Uint8Array): DecodedHeader | string {
  if (header.length < BLOCK_RECORD_HEADER_BYTES) return `record of ${header.length} bytes is shorter than its header`;
  for (let i = 0; i < 4; i++) if (header[i] !== BLOCK_RECORD_MAGIC[i]) return 'bad magic';
  const view = new DataView(header.buffer, header.byteOffset, BLOCK_RECORD_HEADER_BYTES);
  const version = view.getUint16(4, true);
  if (version !== BLOCK_RECORD_VERSION) return `unsupported record version ${version}`;
  const headerBytes = view.getUint16(6, true);
  if (headerBytes !== BLOCK_RECORD_HEADER_BYTES) return `unexpected header size ${headerBytes}`;
  if (view.getUint32(60, true) !== xxhash32(header.subarray(0, 60), 0)) return 'header checksum mismatch';
  const parentId = bytesToHex(header.subarray(24, 40));
  return {
    blockId: bytesToHex(header.subarray(8, 24)),
    numPayloadBytes: view.getUint32(48, true),
    checksum: view.getUint32(56, true),
    meta: {
      parentId: parentId === ROOT_BLOCK_ID ? undefined : parentId,
      position: view.getUint32(40, true),
      numTokens: view.getUint32(44, true),
    },
  };
}

export type DecodedBlockRecord =
  | { readonly ok: true; readonly payload: Uint8Array; readonly checksum: number; readonly meta: BlockMeta }
  | { readonly ok: false; readonly problem: string };

/**
 * Verifies a whole record against the id it was looked up by. The payload returned is a view
 * into `record` (no copy).
 */
export function decodeBlockRecord(record: Uint8Array, expectedBlockId: string): DecodedBlockRecord {
  return verifyBlockRecordParts(record, record.subarray(BLOCK_RECORD_HEADER_BYTES), expectedBlockId);
}

/**
 * The same checks for a record kept as two pieces (a header and a separately held payload, as a
 * memory tier does to avoid copying received bytes). `payload` is returned as is on success.
 */
export function verifyBlockRecordParts(
  header: Uint8Array,
  payload: Uint8Array,
  expectedBlockId: string,
): DecodedBlockRecord {
  const decoded = decodeBlockRecordHeader(header);
  if (typeof decoded === 'string') return { ok: false, problem: decoded };
  if (!isHex128(expectedBlockId) || decoded.blockId !== expectedBlockId) {
    return { ok: false, problem: 'record belongs to another block' };
  }
  if (payload.length !== decoded.numPayloadBytes) {
    return {
      ok: false,
      problem: `length mismatch: header says ${decoded.numPayloadBytes} payload bytes, record has ${payload.length}`,
    };
  }
  const actual = blockChecksum(payload);
  if (actual !== decoded.checksum) {
    return { ok: false, problem: `checksum mismatch: stored ${hex32(decoded.checksum)}, computed ${hex32(actual)}` };
  }
  return { ok: true, payload, checksum: actual, meta: decoded.meta };
}

function hex32(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
