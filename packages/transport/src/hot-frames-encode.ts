// The encoder of the hot request-plane frames' fixed binary layout (the layout and its negotiation: hot-frames.ts).
import { Buffer } from 'node:buffer';
import { EMPTY_BYTES, enums, HOT_DECODE, HOT_MARKER, HOT_STEP, TWO_32, U16_MAX, U32_MAX } from './hot-frames.js';

/** Thrown inside the encoder when a body does not fit the layout: the caller falls back to msgpack. */
const NOT_HOT: unique symbol = Symbol('not hot');

let buf = Buffer.allocUnsafe(64 * 1024);
let pos = 0;

function room(n: number): void {
  if (pos + n <= buf.byteLength) return;
  const next = Buffer.allocUnsafe(Math.max(buf.byteLength * 2, pos + n));
  buf.copy(next, 0, 0, pos);
  buf = next;
}
function wU8(v: number): void {
  room(1);
  buf[pos++] = v;
}
function wU32(v: unknown): void {
  if (v === undefined) v = 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > U32_MAX) throw NOT_HOT;
  room(4);
  buf.writeUInt32LE(v, pos);
  pos += 4;
}
function wF64(v: unknown): void {
  if (v === undefined) v = 0;
  if (typeof v !== 'number') throw NOT_HOT;
  room(8);
  buf.writeDoubleLE(v, pos);
  pos += 8;
}
function wU64(v: unknown): void {
  if (v === undefined) v = 0;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw NOT_HOT;
  room(8);
  buf.writeUInt32LE(v >>> 0, pos);
  buf.writeUInt32LE(Math.floor(v / TWO_32), pos + 4);
  pos += 8;
}
function wBool(v: unknown): void {
  if (v === undefined) v = false;
  if (typeof v !== 'boolean') throw NOT_HOT;
  wU8(v ? 1 : 0);
}
function wStr(v: unknown): void {
  if (v === undefined) v = '';
  if (typeof v !== 'string') throw NOT_HOT;
  const len = v.length;
  room(2 + len * 3);
  // Short ASCII (ids, block ids, addresses) byte by byte: cheaper than a call into C++ per string.
  if (len <= 64) {
    let i = 0;
    const at = pos + 2;
    for (; i < len; i++) {
      const c = v.charCodeAt(i);
      if (c >= 0x80) break;
      buf[at + i] = c;
    }
    if (i === len) {
      buf[pos] = len & 0xff;
      buf[pos + 1] = len >>> 8;
      pos = at + len;
      return;
    }
  }
  const n = buf.write(v, pos + 2, 'utf8');
  if (n > U16_MAX) throw NOT_HOT;
  buf.writeUInt16LE(n, pos);
  pos += 2 + n;
}
function wU32s(v: unknown): void {
  if (v === undefined) v = [];
  if (!Array.isArray(v)) throw NOT_HOT;
  const n = v.length;
  room(4 + 4 * n);
  buf.writeUInt32LE(n, pos);
  pos += 4;
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > U32_MAX) throw NOT_HOT;
    buf.writeUInt32LE(x, pos);
    pos += 4;
  }
}
function wEnum(v: unknown, names: readonly string[]): void {
  if (v === undefined) v = 0;
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string') n = names.indexOf(v);
  else throw NOT_HOT;
  if (!Number.isInteger(n) || n < 0 || n > 255 || names[n] === undefined) throw NOT_HOT;
  wU8(n);
}
/** The list to write, or throws NOT_HOT; its count is written. */
function wList(v: unknown): readonly unknown[] {
  if (v === undefined) v = [];
  if (!Array.isArray(v)) throw NOT_HOT;
  wU32(v.length);
  return v;
}
/** The object to write, or undefined when absent; writes its `has` byte. */
function wHas(v: unknown): Record<string, unknown> | undefined {
  if (v === undefined) {
    wU8(0);
    return undefined;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array) throw NOT_HOT;
  wU8(1);
  return v as Record<string, unknown>;
}
/** Throws NOT_HOT unless every key of `o` with a value is one of `known` (counted by the caller). */
function onlyKnown(o: Record<string, unknown>, numKnown: number, known: ReadonlySet<string>): void {
  let n = 0;
  for (const k in o) {
    if (o[k] === undefined) continue;
    if (!known.has(k)) throw NOT_HOT;
    n++;
  }
  if (n > numKnown) throw NOT_HOT;
}
function asObject(v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array) throw NOT_HOT;
  return v as Record<string, unknown>;
}

const BLOCK_REF_KEYS = new Set(['blockId', 'firstToken', 'numTokens', 'tier', 'sizeBytes']);
function wBlockRef(v: unknown, tier: readonly string[]): void {
  const b = asObject(v);
  onlyKnown(b, 5, BLOCK_REF_KEYS);
  wStr(b.blockId);
  wU32(b.firstToken);
  wU32(b.numTokens);
  wEnum(b.tier, tier);
  wU64(b.sizeBytes);
}
const KV_SOURCE_KEYS = new Set(['wsAddress', 'leaseId', 'blocks']);
const SAMPLING_KEYS = new Set(['temperature', 'topP', 'topK', 'seed', 'stopTokenIds', 'logprobs', 'numTopLogprobs']);
const DECODE_KEYS = new Set([
  'requestId',
  'promptTokenIds',
  'promptBlocks',
  'kvSources',
  'numHandoffTokens',
  'firstTokenId',
  'maxTokens',
  'sampling',
  'sessionId',
  'sessionTtlSeconds',
  'kvWaitSeconds',
  'numAwaitPrefixTokens',
  'awaitPrefixRequestId',
  'resumeTokenIds',
]);

function wDecodeBody(d: Record<string, unknown>): void {
  const { tier } = enums();
  onlyKnown(d, 14, DECODE_KEYS);
  wStr(d.requestId);
  wU32s(d.promptTokenIds);
  for (const b of wList(d.promptBlocks)) wBlockRef(b, tier);
  for (const s of wList(d.kvSources)) {
    const src = asObject(s);
    onlyKnown(src, 3, KV_SOURCE_KEYS);
    wStr(src.wsAddress);
    wStr(src.leaseId);
    for (const b of wList(src.blocks)) wBlockRef(b, tier);
  }
  wU32(d.numHandoffTokens);
  wU32(d.firstTokenId);
  wU32(d.maxTokens);
  const s = wHas(d.sampling);
  if (s !== undefined) {
    onlyKnown(s, 7, SAMPLING_KEYS);
    wF64(s.temperature);
    wF64(s.topP);
    wU32(s.topK);
    wU64(s.seed);
    wU32s(s.stopTokenIds);
    wBool(s.logprobs);
    wU32(s.numTopLogprobs);
  }
  wStr(d.sessionId);
  wF64(d.sessionTtlSeconds);
  wF64(d.kvWaitSeconds);
  wU32(d.numAwaitPrefixTokens);
  wStr(d.awaitPrefixRequestId);
  wU32s(d.resumeTokenIds);
}

const STEP_KEYS = new Set(['outputs']);
const OUTPUT_KEYS = new Set(['firstTokenIndex', 'chunk']);
const CHUNK_KEYS = new Set([
  'requestId',
  'tokenIds',
  'text',
  'finishReason',
  'emittedAfterSeconds',
  'stepSeconds',
  'usage',
  'timings',
  'error',
  'logprobs',
]);
const USAGE_KEYS = new Set(['numPromptTokens', 'numCompletionTokens', 'numCachedPromptTokens']);
const TIMINGS_KEYS = new Set(['queueSeconds', 'kvReceiveSeconds', 'decodeSeconds']);
const ERROR_KEYS = new Set(['code', 'message', 'field']);
const LOGPROB_KEYS = new Set(['tokenId', 'logprob', 'topLogprobs']);
const TOP_KEYS = new Set(['tokenId', 'logprob']);

function wStepBody(d: Record<string, unknown>): void {
  const { finish } = enums();
  onlyKnown(d, 1, STEP_KEYS);
  for (const o of wList(d.outputs)) {
    const out = asObject(o);
    onlyKnown(out, 2, OUTPUT_KEYS);
    wU32(out.firstTokenIndex);
    const c = wHas(out.chunk);
    if (c === undefined) continue;
    onlyKnown(c, 10, CHUNK_KEYS);
    wStr(c.requestId);
    wU32s(c.tokenIds);
    const text = c.text ?? EMPTY_BYTES;
    if (!(text instanceof Uint8Array)) throw NOT_HOT;
    wU32(text.byteLength);
    room(text.byteLength);
    buf.set(text, pos);
    pos += text.byteLength;
    wEnum(c.finishReason, finish);
    wF64(c.emittedAfterSeconds);
    wF64(c.stepSeconds);
    const u = wHas(c.usage);
    if (u !== undefined) {
      onlyKnown(u, 3, USAGE_KEYS);
      wU32(u.numPromptTokens);
      wU32(u.numCompletionTokens);
      wU32(u.numCachedPromptTokens);
    }
    const t = wHas(c.timings);
    if (t !== undefined) {
      onlyKnown(t, 3, TIMINGS_KEYS);
      wF64(t.queueSeconds);
      wF64(t.kvReceiveSeconds);
      wF64(t.decodeSeconds);
    }
    const e = wHas(c.error);
    if (e !== undefined) {
      onlyKnown(e, 3, ERROR_KEYS);
      wStr(e.code);
      wStr(e.message);
      wStr(e.field);
    }
    for (const l of wList(c.logprobs)) {
      const lp = asObject(l);
      onlyKnown(lp, 3, LOGPROB_KEYS);
      wU32(lp.tokenId);
      wF64(lp.logprob);
      for (const x of wList(lp.topLogprobs)) {
        const top = asObject(x);
        onlyKnown(top, 2, TOP_KEYS);
        wU32(top.tokenId);
        wF64(top.logprob);
      }
    }
  }
}

/**
 * The frame in the fixed layout, or undefined when the body does not fit it (the caller then sends msgpack,
 * whose body check gives the usual error for a bad body). `id` must already have been checked.
 */
export function encodeHot(kind: 'decode' | 'decode.step', id: string, body: unknown): Buffer | undefined {
  pos = 0;
  try {
    wU8(HOT_MARKER);
    wU8(kind === 'decode' ? HOT_DECODE : HOT_STEP);
    wStr(id);
    const b = asObject(body);
    if (kind === 'decode') wDecodeBody(b);
    else wStepBody(b);
  } catch (err) {
    if (err === NOT_HOT) return undefined;
    throw err;
  }
  const out = Buffer.allocUnsafe(pos);
  buf.copy(out, 0, 0, pos);
  return out;
}
