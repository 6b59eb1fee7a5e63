// A queue of received socket chunks that hands out byte ranges without re-concatenating: headers are
// peeked with a copy of just their few bytes, a payload is either returned as views of the chunks
// (takeChunks: no copy) or gathered into one buffer (take: one copy, and none when it sits in one
// chunk). Used by the bench's baselines (Redis client, raw server and client).
export class ByteQueue {
  private chunks: Buffer[] = [];
  length = 0;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** The first `n` bytes (n ≤ length) without consuming them; copies only when they span chunks. */
  peek(n: number): Buffer {
    const first = this.chunks[0] as Buffer;
    if (first.length >= n) return first.subarray(0, n);
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    for (const c of this.chunks) {
      filled += c.copy(out, filled, 0, Math.min(c.length, n - filled));
      if (filled === n) break;
    }
    return out;
  }

  /** Index of `\r\n` within the first `limit` bytes, or -1. */
  indexOfCrlf(limit = 64): number {
    return this.peek(Math.min(limit, this.length)).indexOf('\r\n');
  }

  /** Removes and returns the first `n` bytes (n ≤ length) as one buffer. */
  take(n: number): Buffer {
    const first = this.chunks[0] as Buffer;
    if (first.length >= n) {
      this.length -= n;
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    for (const part of this.takeChunks(n)) filled += part.copy(out, filled);
    return out;
  }

  /** Removes the first `n` bytes (n ≤ length) and returns them as views of the received chunks. */
  takeChunks(n: number): Buffer[] {
    const out: Buffer[] = [];
    this.length -= n;
    while (n > 0) {
      const c = this.chunks[0] as Buffer;
      if (c.length <= n) {
        out.push(c);
        this.chunks.shift();
        n -= c.length;
      } else {
        out.push(c.subarray(0, n));
        this.chunks[0] = c.subarray(n);
        n = 0;
      }
    }
    return out;
  }
}
