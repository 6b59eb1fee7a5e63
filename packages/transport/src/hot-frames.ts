// A fixed binary layout for the request plane's two hot frames, `decode` (router → decode worker) and
// `decode.step` (decode worker → router), in place of the msgpack envelope and its body check. Every other
// kind, and any decode/decode.step body this layout cannot carry (a string over 65,535 UTF-8 bytes, a key the
// layout does not know, a value of the wrong type), goes out as msgpack exactly as before; the receiver tells
// the two apart by the first byte.
//
// All integers little-endian. `str` = u16 byte length + UTF-8; `u32s` = u32 count + count × u32; `u64` = u32
// low + u32 high (a non-negative integer below 2^53); `bool` = u8 0 or 1; `has` = u8 0 or 1 (a nested
// message follows when 1); enums are their u8 number.
//
//   u8  0xc1  HOT_MARKER: msgpack's never-used byte, so no msgpack envelope starts with it
//   u8  type  HOT_DECODE (1) or HOT_STEP (2); any other value is refused
//   str id    the envelope id (1..MAX_ID_LENGTH characters)
//   body:
//   HOT_DECODE (DecodeRequest):
//     str requestId, u32s promptTokenIds, u32 n + n × BlockRef promptBlocks,
//     u32 n + n × { str wsAddress, str leaseId, u32 m + m × BlockRef blocks } kvSources,
//     u32 numHandoffTokens, u32 firstTokenId, u32 maxTokens,
//     has sampling { f64 temperature, f64 topP, u32 topK, u64 seed, u32s stopTokenIds, bool logprobs,
//                    u32 numTopLogprobs },
//     str sessionId, f64 sessionTtlSeconds, f64 kvWaitSeconds, u32 numAwaitPrefixTokens,
//     str awaitPrefixRequestId, u32s resumeTokenIds
//     BlockRef = str blockId, u32 firstToken, u32 numTokens, u8 tier, u64 sizeBytes
//   HOT_STEP (DecodeStep):
//     u32 n + n × { u32 firstTokenIndex, has chunk {
//       str requestId, u32s tokenIds, u32 len + bytes text, u8 finishReason, f64 emittedAfterSeconds,
//       f64 stepSeconds, has usage { u32 numPromptTokens, u32 numCompletionTokens, u32 numCachedPromptTokens },
//       has timings { f64 queueSeconds, f64 kvReceiveSeconds, f64 decodeSeconds },
//       has error { str code, str message, str field },
//       u32 n + n × { u32 tokenId, f64 logprob, u32 m + m × { u32 tokenId, f64 logprob } } logprobs } }
//   and nothing after the body.
//
// Decoding gives the same Frame as the msgpack path (the `__Output` shape: every field present, enums by
// name, absent messages null, `text` a view into the frame). It is strict: a truncated field, a count larger
// than the bytes left, a bool or `has` byte other than 0/1, an enum number the proto does not define and
// trailing bytes are each refused naming the field (INVALID_ARGUMENT, the connection keeps going, as for a
// bad msgpack body); an unknown type byte or a bad id is PROTOCOL_ERROR and fatal, as a bad envelope is.
//
// Negotiated per connection: a peer of an older build refuses a frame starting with 0xc1 (PROTOCOL_ERROR, the
// channel closes), so nothing is sent in this layout unless the peer said it reads it. The WebSocket upgrade
// carries that, before any frame: the client (the router's PlaneChannel) sends the request header
// `x-oicf-hot-frames: 1` ("I read the layout"), and a server of this build (a worker's ws port) answers it in
// the 101 response with the same header ("so do I"). Each end then encodes hot kinds in this layout only
// when the other end's header came (FrameSocket's `hotFrames`); without it (an older peer, which neither
// sends nor answers the header) every frame is msgpack. decodeFrame reads both forms regardless.
import { Buffer } from 'node:buffer';
import { loadProtoRoot } from '@oicf/proto';
import { type DecodeResult, FRAME_VERSION, type Frame, type FrameKind, MAX_ID_LENGTH } from './frame-kinds.js';
import { OicfError } from './oicf-error.js';

export const HOT_MARKER = 0xc1;
export const HOT_DECODE = 1;
export const HOT_STEP = 2;

/** The WebSocket upgrade header (request and response) by which each end says it reads this layout. */
export const HOT_FRAMES_HEADER = 'x-oicf-hot-frames';
/** Its value for this layout; any other value (a future layout) or none means the peer reads msgpack only. */
export const HOT_FRAMES_VERSION = '1';

/** True when upgrade headers (Node's lower-cased IncomingHttpHeaders) say the sender reads this layout. */
export function offersHotFrames(headers: Readonly<Record<string, string | string[] | undefined>>): boolean {
  return headers[HOT_FRAMES_HEADER] === HOT_FRAMES_VERSION;
}

const U32_MAX = 0xffffffff;
const U16_MAX = 0xffff;
const TWO_32 = 2 ** 32;
const EMPTY_BYTES: Buffer = Buffer.alloc(0);

let enumNames: { finish: string[]; tier: string[] } | undefined;
/** Names of FinishReason and Tier by number, from the .proto (one source of truth). */
function enums(): { finish: string[]; tier: string[] } {
  if (enumNames === undefined) {
    const root = loadProtoRoot();
    const byId = (name: string) => {
      const e = root.lookupEnum(`oicf.v1.${name}`);
      const out: string[] = [];
      for (const [n, v] of Object.entries(e.values)) out[v] = n;
      return out;
    };
    enumNames = { finish: byId('FinishReason'), tier: byId('Tier') };
  }
  return enumNames;
}

// ---------------------------------------------------------------------------------------------- encoding

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

/** True for the kinds this layout carries. */
export function isHotKind(kind: FrameKind): kind is 'decode' | 'decode.step' {
  return kind === 'decode' || kind === 'decode.step';
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

// ---------------------------------------------------------------------------------------------- decoding

/** A field that could not be read: its path and what was wrong. */
class FieldError extends Error {
  constructor(
    public path: string,
    readonly problem: string,
  ) {
    super(problem);
  }
}

class Reader {
  pos = 0;
  constructor(
    readonly data: Buffer,
    readonly end: number,
  ) {}

  need(n: number, field: string): number {
    const at = this.pos;
    if (at + n > this.end)
      throw new FieldError(field, `truncated: needs ${n} bytes at offset ${at}, the frame has ${this.end - at} left`);
    this.pos = at + n;
    return at;
  }
  u8(field: string): number {
    return this.data[this.need(1, field)] as number;
  }
  u32(field: string): number {
    return this.data.readUInt32LE(this.need(4, field));
  }
  f64(field: string): number {
    return this.data.readDoubleLE(this.need(8, field));
  }
  u64(field: string): number {
    const at = this.need(8, field);
    const hi = this.data.readUInt32LE(at + 4);
    if (hi >= 0x200000) throw new FieldError(field, `uint64 of high word ${hi} is not below 2^53`);
    return hi * TWO_32 + this.data.readUInt32LE(at);
  }
  flag(field: string): boolean {
    const b = this.u8(field);
    if (b > 1) throw new FieldError(field, `expected 0 or 1, got ${b}`);
    return b === 1;
  }
  str(field: string): string {
    const n = this.data.readUInt16LE(this.need(2, field));
    const at = this.need(n, field);
    if (n === 0) return '';
    return this.data.toString('utf8', at, at + n);
  }
  bytes(field: string): Buffer {
    const n = this.u32(field);
    const at = this.need(n, field);
    return n === 0 ? EMPTY_BYTES : this.data.subarray(at, at + n);
  }
  /** A list's count, refused when even its smallest items would not fit in what is left. */
  count(field: string, minItemBytes: number): number {
    const n = this.u32(field);
    const left = this.end - this.pos;
    if (n * minItemBytes > left) {
      throw new FieldError(field, `count ${n} needs at least ${n * minItemBytes} bytes, the frame has ${left} left`);
    }
    return n;
  }
  u32s(field: string): number[] {
    const n = this.count(field, 4);
    const out = new Array<number>(n);
    const d = this.data;
    let at = this.pos;
    for (let i = 0; i < n; i++, at += 4) out[i] = d.readUInt32LE(at);
    this.pos = at;
    return out;
  }
  enumName(field: string, names: readonly string[]): string {
    const n = this.u8(field);
    const name = names[n];
    if (name === undefined) throw new FieldError(field, `${n} is not a value of the enum`);
    return name;
  }
}

/** Runs `read` for item i of list `field`, prefixing a failure's path with `field[i]`. */
function item<T>(field: string, i: number, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof FieldError) err.path = `${field}[${i}].${err.path}`;
    throw err;
  }
}

function rBlockRef(r: Reader, tier: readonly string[]) {
  return {
    blockId: r.str('blockId'),
    firstToken: r.u32('firstToken'),
    numTokens: r.u32('numTokens'),
    tier: r.enumName('tier', tier),
    sizeBytes: r.u64('sizeBytes'),
  };
}
const BLOCK_REF_MIN = 2 + 4 + 4 + 1 + 8;

function rDecodeBody(r: Reader): Record<string, unknown> {
  const { tier } = enums();
  const requestId = r.str('body.requestId');
  const promptTokenIds = r.u32s('body.promptTokenIds');
  const numBlocks = r.count('body.promptBlocks', BLOCK_REF_MIN);
  const promptBlocks = new Array(numBlocks);
  for (let i = 0; i < numBlocks; i++) promptBlocks[i] = item('body.promptBlocks', i, () => rBlockRef(r, tier));
  const numSources = r.count('body.kvSources', 2 + 2 + 4);
  const kvSources = new Array(numSources);
  for (let i = 0; i < numSources; i++) {
    kvSources[i] = item('body.kvSources', i, () => {
      const wsAddress = r.str('wsAddress');
      const leaseId = r.str('leaseId');
      const n = r.count('blocks', BLOCK_REF_MIN);
      const blocks = new Array(n);
      for (let j = 0; j < n; j++) blocks[j] = item('blocks', j, () => rBlockRef(r, tier));
      return { blocks, wsAddress, leaseId };
    });
  }
  const numHandoffTokens = r.u32('body.numHandoffTokens');
  const firstTokenId = r.u32('body.firstTokenId');
  const maxTokens = r.u32('body.maxTokens');
  let sampling: Record<string, unknown> | null = null;
  if (r.flag('body.sampling')) {
    const temperature = r.f64('body.sampling.temperature');
    const topP = r.f64('body.sampling.topP');
    const topK = r.u32('body.sampling.topK');
    const seed = r.u64('body.sampling.seed');
    const stopTokenIds = r.u32s('body.sampling.stopTokenIds');
    const logprobs = r.flag('body.sampling.logprobs');
    const numTopLogprobs = r.u32('body.sampling.numTopLogprobs');
    sampling = { stopTokenIds, temperature, topP, topK, seed, logprobs, numTopLogprobs };
  }
  const sessionId = r.str('body.sessionId');
  const sessionTtlSeconds = r.f64('body.sessionTtlSeconds');
  const kvWaitSeconds = r.f64('body.kvWaitSeconds');
  const numAwaitPrefixTokens = r.u32('body.numAwaitPrefixTokens');
  const awaitPrefixRequestId = r.str('body.awaitPrefixRequestId');
  const resumeTokenIds = r.u32s('body.resumeTokenIds');
  return {
    promptTokenIds,
    promptBlocks,
    kvSources,
    resumeTokenIds,
    requestId,
    numHandoffTokens,
    firstTokenId,
    maxTokens,
    sampling,
    sessionId,
    sessionTtlSeconds,
    kvWaitSeconds,
    numAwaitPrefixTokens,
    awaitPrefixRequestId,
  };
}

function rChunk(r: Reader, finish: readonly string[]): Record<string, unknown> {
  const requestId = r.str('chunk.requestId');
  const tokenIds = r.u32s('chunk.tokenIds');
  const text = r.bytes('chunk.text');
  const finishReason = r.enumName('chunk.finishReason', finish);
  const emittedAfterSeconds = r.f64('chunk.emittedAfterSeconds');
  const stepSeconds = r.f64('chunk.stepSeconds');
  const usage = r.flag('chunk.usage')
    ? {
        numPromptTokens: r.u32('chunk.usage.numPromptTokens'),
        numCompletionTokens: r.u32('chunk.usage.numCompletionTokens'),
        numCachedPromptTokens: r.u32('chunk.usage.numCachedPromptTokens'),
      }
    : null;
  const timings = r.flag('chunk.timings')
    ? {
        queueSeconds: r.f64('chunk.timings.queueSeconds'),
        kvReceiveSeconds: r.f64('chunk.timings.kvReceiveSeconds'),
        decodeSeconds: r.f64('chunk.timings.decodeSeconds'),
      }
    : null;
  const error = r.flag('chunk.error')
    ? { code: r.str('chunk.error.code'), message: r.str('chunk.error.message'), field: r.str('chunk.error.field') }
    : null;
  const numLogprobs = r.count('chunk.logprobs', 4 + 8 + 4);
  const logprobs = new Array(numLogprobs);
  for (let i = 0; i < numLogprobs; i++) {
    logprobs[i] = item('chunk.logprobs', i, () => {
      const tokenId = r.u32('tokenId');
      const logprob = r.f64('logprob');
      const m = r.count('topLogprobs', 4 + 8);
      const topLogprobs = new Array(m);
      for (let j = 0; j < m; j++)
        topLogprobs[j] = { tokenId: r.u32('topLogprobs.tokenId'), logprob: r.f64('topLogprobs.logprob') };
      return { topLogprobs, tokenId, logprob };
    });
  }
  return {
    tokenIds,
    logprobs,
    requestId,
    text,
    finishReason,
    emittedAfterSeconds,
    stepSeconds,
    usage,
    timings,
    error,
  };
}

function rStepBody(r: Reader): Record<string, unknown> {
  const { finish } = enums();
  const n = r.count('body.outputs', 4 + 1);
  const outputs = new Array(n);
  for (let i = 0; i < n; i++) {
    outputs[i] = item('body.outputs', i, () => {
      const firstTokenIndex = r.u32('firstTokenIndex');
      const chunk = r.flag('chunk') ? rChunk(r, finish) : null;
      return { firstTokenIndex, chunk };
    });
  }
  return { outputs };
}

/** Decodes a frame whose first byte is HOT_MARKER (the caller checked that and the size limit). */
export function decodeHot(data: Uint8Array): DecodeResult {
  const bytes = data instanceof Buffer ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const r = new Reader(bytes, bytes.byteLength);
  let kind: 'decode' | 'decode.step';
  let id: string;
  try {
    r.u8('marker');
    const type = r.u8('type');
    if (type === HOT_DECODE) kind = 'decode';
    else if (type === HOT_STEP) kind = 'decode.step';
    else
      throw new FieldError('type', `unknown binary frame type ${type}: this peer reads 1 (decode) and 2 (decode.step)`);
    id = r.str('id');
  } catch (err) {
    if (!(err instanceof FieldError)) throw err;
    const error = new OicfError('PROTOCOL_ERROR', `bad binary frame header: ${err.path}: ${err.problem}`, {
      field: err.path,
    });
    return { ok: false, error, id: undefined, fatal: true };
  }
  if (id.length === 0 || id.length > MAX_ID_LENGTH) {
    const error = new OicfError(
      'PROTOCOL_ERROR',
      `envelope id must be a non-empty string of at most ${MAX_ID_LENGTH} characters`,
      { field: 'id' },
    );
    return { ok: false, error, id: undefined, fatal: true };
  }
  let body: Record<string, unknown>;
  try {
    body = kind === 'decode' ? rDecodeBody(r) : rStepBody(r);
    if (r.pos !== r.end) throw new FieldError('body', `${r.end - r.pos} bytes after the end of the body`);
  } catch (err) {
    if (!(err instanceof FieldError)) throw err;
    const error = new OicfError('INVALID_ARGUMENT', `bad ${kind} body: ${err.path}: ${err.problem}`, {
      field: err.path,
    });
    return { ok: false, error, id, fatal: false };
  }
  return { ok: true, frame: { v: FRAME_VERSION, kind, id, body } as unknown as Frame };
}
