import { lookupById } from '../catalog-lookup.js';
import type { Result, TierSpec } from '../types.js';

// Memory tiers as one accelerator sees them when it reads KV from them. Bandwidth is what the
// path delivers (a PCIe-attached tier is bounded by the link), capacity is what one accelerator
// can use. Capacities marked illustrative are plausible configurations, not product limits.

export const TIERS: readonly TierSpec[] = [
  {
    id: 'hbm',
    displayName: 'HBM3 (H100 SXM)',
    source:
      'NVIDIA H100 SXM datasheet: 80 GB at 3.35 TB/s; ~0.5 µs load latency (illustrative); HBM2 ~3.9 pJ/bit (O\'Connor et al., "Fine-Grained DRAM", MICRO 2017)',
    bandwidthBytesPerSecond: 3.35e12,
    latencySeconds: 5e-7,
    capacityBytes: 80e9,
    energyPicojoulesPerBit: 3.9,
  },
  {
    id: 'dram',
    displayName: 'Host DDR5 over PCIe 5.0 x16',
    source:
      'DGX H100: 2 TB system memory for 8 GPUs → 256 GB per GPU; read by DMA over PCIe 5.0 x16 (63 GB/s per direction); ~2 µs per transfer (illustrative)',
    bandwidthBytesPerSecond: 63e9,
    latencySeconds: 2e-6,
    capacityBytes: 256e9,
  },
  {
    id: 'cxl',
    displayName: 'CXL 2.0 memory expander (x16)',
    source:
      'CXL 2.0 Type-3 expander on a PCIe 5.0 x16 PHY: 63 GB/s per direction; 1 TB per accelerator illustrative (e.g. 4 × 256 GB expanders); ~2.5 µs per DMA transfer (illustrative)',
    bandwidthBytesPerSecond: 63e9,
    latencySeconds: 2.5e-6,
    capacityBytes: 1e12,
  },
  {
    id: 'optical-pool',
    displayName: 'Optical-I/O memory pool',
    source:
      'Illustrative disaggregated pool behind one co-packaged optical I/O chiplet (Ayar Labs TeraPHY: 4 Tb/s bidirectional → 250 GB/s per direction, < 5 pJ/bit); 8 TB per accelerator and ~1 µs illustrative',
    bandwidthBytesPerSecond: 250e9,
    latencySeconds: 1e-6,
    capacityBytes: 8e12,
    energyPicojoulesPerBit: 5,
  },
  {
    id: 'nvme',
    displayName: 'NVMe SSD (PCIe 5.0)',
    source:
      'Micron 9550 datasheet: 14.0 GB/s sequential read, 7.68 TB model; ~80 µs read latency (typical 4 KiB random read, illustrative)',
    bandwidthBytesPerSecond: 14e9,
    latencySeconds: 8e-5,
    capacityBytes: 7.68e12,
  },
];

export const TIER_IDS: readonly string[] = TIERS.map((tier) => tier.id);

export function getTier(id: string): Result<TierSpec> {
  return lookupById('tier', TIERS, id);
}
