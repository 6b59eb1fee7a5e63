// The decoder of the hot request-plane frames' fixed binary layout (the layout and its negotiation: hot-frames.ts):
// strict, every read bounds-checked, a bad field named.
import { Buffer } from 'node:buffer';
import { type DecodeResult, FRAME_VERSION, type Frame, MAX_ID_LENGTH } from './frame-kinds.js';
import { EMPTY_BYTES, enums, HOT_DECODE, HOT_STEP, TWO_32 } from './hot-frames.js';
import { OicfError } from './oicf-error.js';

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
