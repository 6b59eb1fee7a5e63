import { lookupById } from '../catalog-lookup.js';
import type { LinkSpec, Result } from '../types.js';

// Bandwidths are per device per direction (vendors often quote the bidirectional sum: halved here).
// Latencies are order-of-magnitude figures for one small transfer, marked illustrative.

export const LINKS: readonly LinkSpec[] = [
  {
    id: 'nvlink4',
    displayName: 'NVLink 4 (Hopper)',
    source:
      'NVIDIA H100 datasheet: NVLink 900 GB/s per GPU bidirectional (18 links × 50 GB/s) → 450 GB/s per direction; latency ~1 µs illustrative',
    bandwidthBytesPerSecond: 450e9,
    latencySeconds: 1e-6,
  },
  {
    id: 'nvlink5',
    displayName: 'NVLink 5 (Blackwell)',
    source:
      'NVIDIA GB200 NVL72 / HGX B200 datasheets: NVLink 1.8 TB/s per GPU bidirectional → 900 GB/s per direction; latency ~1 µs illustrative',
    bandwidthBytesPerSecond: 900e9,
    latencySeconds: 1e-6,
  },
  {
    id: 'infinity-fabric',
    displayName: 'AMD Infinity Fabric (MI300X platform)',
    source:
      'AMD Instinct MI300X datasheet: 896 GB/s aggregate peer bandwidth over 7 links (bidirectional) → 448 GB/s per direction; latency ~1 µs illustrative',
    bandwidthBytesPerSecond: 448e9,
    latencySeconds: 1e-6,
  },
  {
    id: 'pcie5',
    displayName: 'PCIe 5.0 x16',
    source:
      'PCI-SIG PCIe 5.0: 32 GT/s × 16 lanes × 128/130 encoding ÷ 8 = 63 GB/s per direction; latency ~1 µs illustrative',
    bandwidthBytesPerSecond: 63e9,
    latencySeconds: 1e-6,
  },
  {
    id: 'rdma-400g',
    displayName: 'RDMA 400 Gb/s (NDR InfiniBand / RoCE)',
    source:
      'NVIDIA ConnectX-7 / Quantum-2 NDR: 400 Gb/s = 50 GB/s per port per direction; ~2 µs end-to-end latency (typical RDMA write, illustrative)',
    bandwidthBytesPerSecond: 50e9,
    latencySeconds: 2e-6,
  },
  {
    id: 'optical-io',
    displayName: 'Co-packaged optical I/O chiplet',
    source:
      'Ayar Labs TeraPHY (2023): 4 Tb/s bidirectional per chiplet → 250 GB/s per direction, < 5 pJ/bit; latency illustrative',
    bandwidthBytesPerSecond: 250e9,
    latencySeconds: 5e-7,
    energyPicojoulesPerBit: 5,
  },
];

export const LINK_IDS: readonly string[] = LINKS.map((link) => link.id);

export function getLink(id: string): Result<LinkSpec> {
  return lookupById('link', LINKS, id);
}

/** Internal: a link known to be in the catalog (used to wire device entries). */
export function catalogLink(id: string): LinkSpec {
  const link = LINKS.find((entry) => entry.id === id);
  if (!link) throw new Error(`catalog link '${id}' missing`);
  return link;
}
