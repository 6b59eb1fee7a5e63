/**
 * A one-reader async queue: the engine side pushes, the gRPC handler iterates and writes (awaiting
 * each write, so a slow client slows only its own stream, never the batch).
 */
export class TokenStream<T> {
  private readonly items: T[] = [];
  private done = false;
  private wake: (() => void) | undefined;

  push(item: T): void {
    if (this.done) return;
    this.items.push(item);
    this.wake?.();
  }

  end(): void {
    this.done = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      const item = this.items.shift();
      if (item !== undefined) {
        yield item;
        continue;
      }
      if (this.done) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
  }
}
