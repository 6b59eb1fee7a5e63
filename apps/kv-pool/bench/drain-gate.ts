import type { Socket } from 'node:net';

/**
 * One shared wait for a socket's 'drain': writers that find the socket backed up all await the same
 * promise, instead of each adding a listener (32 writers in flight would exceed the default limit).
 */
export class DrainGate {
  private waiting: Promise<void> | undefined;

  constructor(private readonly socket: Socket) {}

  wait(): Promise<void> {
    this.waiting ??= new Promise<void>((resolve) =>
      this.socket.once('drain', () => {
        this.waiting = undefined;
        resolve();
      }),
    );
    return this.waiting;
  }
}
