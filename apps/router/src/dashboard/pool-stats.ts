// The pool's tier occupancy for the dashboard: its own gRPC client (PoolControl.Stats, @oicf/pool-client),
// opened when the first dashboard viewer connects and closed when the last leaves, so a router nobody
// watches holds no extra connection. A slow or absent pool answers null (the page says "no pool data").
import { PoolControl } from '@oicf/pool-client';
import type { PoolTierInput } from './dashboard-state.js';

export interface PoolStatsReader {
  read(): Promise<{ readonly tiers: readonly PoolTierInput[]; readonly numMisses: number } | null>;
  close(): void;
}

export function poolStatsReader(grpcAddress: string | undefined, timeoutSeconds = 0.5): PoolStatsReader {
  let control: PoolControl | undefined;
  return {
    read: async () => {
      if (grpcAddress === undefined || grpcAddress === '') return null;
      control ??= new PoolControl(grpcAddress, { timeoutSeconds });
      try {
        const stats = await control.stats();
        return {
          tiers: stats.tiers.map((t) => ({
            tier: t.tier ?? 'unknown',
            usedBytes: t.usedBytes,
            capacityBytes: t.capacityBytes,
            numHits: t.numHits,
          })),
          numMisses: stats.numMisses,
        };
      } catch {
        return null;
      }
    },
    close: () => {
      control?.close();
      control = undefined;
    },
  };
}
