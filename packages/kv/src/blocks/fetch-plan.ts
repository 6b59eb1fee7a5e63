// Which cached blocks a worker fetches from which holder (the pool, or a peer worker), given the holders a
// request names. Pure: the worker's data-plane client does the fetching.

/** A block to fetch: its id and the tokens it covers (the data-plane client's BlockToFetch, structurally). */
export interface PlannedBlock {
  readonly blockId: string;
  readonly firstToken: number;
  readonly numTokens: number;
}

/** A holder of cached blocks as requests name it (proto KvSource). */
export interface KvSourceRef {
  readonly wsAddress: string;
  readonly leaseId: string;
  readonly blocks: readonly { readonly blockId: string; readonly firstToken: number; readonly numTokens: number }[];
}

/** Blocks to fetch from one holder, consecutive in the chain. */
export interface FetchPlan {
  readonly wsAddress: string;
  readonly leaseId: string;
  readonly blocks: readonly PlannedBlock[];
}

/**
 * Which cached blocks to fetch from where: walks the prompt's chain from block `fromBlock` (blocks
 * before it are already present) up to `toBlock` (exclusive), taking each block from the first source
 * that lists it with the right identity (its id equals our hash-chain id at that position, aligned,
 * `blockTokens` long), and stops at the first block no source offers. Consecutive blocks of one holder
 * form one plan (one kv.get).
 */
export function planFetch(
  sources: readonly KvSourceRef[],
  chainIds: readonly string[],
  blockTokens: number,
  fromBlock: number,
  toBlock: number,
): FetchPlan[] {
  const offered = new Map<number, { source: KvSourceRef; block: PlannedBlock }>();
  for (const source of sources) {
    for (const b of source.blocks) {
      const index = b.firstToken / blockTokens;
      const ok = Number.isInteger(index) && b.numTokens === blockTokens && chainIds[index] === b.blockId;
      if (ok && !offered.has(index)) offered.set(index, { source, block: b });
    }
  }
  const plans: { wsAddress: string; leaseId: string; blocks: PlannedBlock[] }[] = [];
  for (let i = fromBlock; i < Math.min(toBlock, chainIds.length); i++) {
    const o = offered.get(i);
    if (o === undefined) break;
    const last = plans[plans.length - 1];
    const block = { blockId: o.block.blockId, firstToken: o.block.firstToken, numTokens: o.block.numTokens };
    if (last !== undefined && last.wsAddress === o.source.wsAddress && last.leaseId === o.source.leaseId) {
      last.blocks.push(block);
    } else {
      plans.push({ wsAddress: o.source.wsAddress, leaseId: o.source.leaseId, blocks: [block] });
    }
  }
  return plans;
}
