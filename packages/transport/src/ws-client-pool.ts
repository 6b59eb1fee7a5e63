import { isOicfError } from './oicf-error.js';
import { connectWs, type WsClient, type WsClientOptions } from './ws-client.js';

/**
 * One WebSocket data-plane connection per peer address (pool, decode workers), opened on first use and
 * reopened after the peer closed it. Calls on one connection are multiplexed by request id.
 */
export class WsClientPool {
  private readonly clients = new Map<string, Promise<WsClient>>();

  constructor(private readonly options: WsClientOptions = {}) {}

  /** The connection to `url`, connecting if needed (rejects with UNAVAILABLE when the peer is down). */
  get(url: string): Promise<WsClient> {
    let client = this.clients.get(url);
    if (client === undefined) {
      client = connectWs(url, this.options);
      this.clients.set(url, client);
      client.catch(() => this.clients.delete(url));
    }
    return client;
  }

  /**
   * Runs `fn` on the connection to `url`. When it fails with UNAVAILABLE (the connection was lost) the
   * connection is dropped, and `fn` is retried once on a fresh one if `retry` (idempotent operations).
   */
  async with<T>(url: string, fn: (client: WsClient) => Promise<T>, retry = false): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const client = await this.get(url);
      try {
        return await fn(client);
      } catch (err) {
        if (!(isOicfError(err) && err.code === 'UNAVAILABLE')) throw err;
        if (this.clients.get(url) !== undefined) {
          this.clients.delete(url);
          void client.close().catch(() => {});
        }
        if (!retry || attempt >= 1) throw err;
      }
    }
  }

  async close(): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(all.map((p) => p.then((c) => c.close()).catch(() => {})));
  }
}
