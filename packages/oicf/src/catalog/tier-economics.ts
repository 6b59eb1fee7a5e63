import { TIER_IDS, type TierId } from '../hardware/tiers.js';
import type { LinkEconomics, SourcedFigure, TierEconomics } from '../types.js';

// Price and power of each memory tier (hardware/tiers.ts owns their identity and bandwidth) and of the links
// that cost something beyond the device price. Capacity terms are per GB; purchase prices are amortized over
// AMORTIZATION_MONTHS. Where a term is an estimate the source says why.

/** Hours in the month the per-GB-month prices use (365 × 24 ÷ 12 = 730; CoreWeave and AWS bill on it). */
export const HOURS_PER_MONTH = 730;
/** Months over which purchased memory is amortized (a common server depreciation period). */
export const AMORTIZATION_MONTHS = 36;

function figure(value: number, source: string, asOf: string, estimate = false): SourcedFigure {
  return { value, source, asOf, estimate };
}

const NONE_PER_ACCELERATOR = figure(0, 'nothing attached per accelerator', '2026-01');

const DDR5_USD_PER_GB = 10;
const DDR5_PRICE =
  'DDR5 RDIMM ≈ $10 per GB for standard server modules, ≈ $20 per GB for 256 GB modules during the 2025 memory shortage (TechPowerUp, reported by tuttotech.net 2025-12-29, https://www.tuttotech.net/news/2025/12/29/shortage-ram-ddr5-rdimm-aumento-prezzo.html)';
const DRAM_WATTS_PER_GB = figure(
  0.1,
  'estimate: DDR5 RDIMM power under load is about 6–10 W per 64 GB module (vendor power calculators; published idle figures are 1–2.5 W per module, icdirectory.com, epn.org) → 0.1 W/GB',
  '2025-12',
  true,
);

const HBM: TierEconomics = {
  usdPerGbMonth: figure(0, "part of the accelerator: its price and power are in the device's figures", '2026-01'),
  wattsPerGb: figure(0, "part of the accelerator: its price and power are in the device's figures", '2026-01'),
  usdPerAcceleratorHour: NONE_PER_ACCELERATOR,
  wattsPerAccelerator: NONE_PER_ACCELERATOR,
};

const HOST_DRAM: TierEconomics = {
  usdPerGbMonth: figure(
    0,
    `bundled in the GPU instance price: CoreWeave HGX B200 instances include 2,048 GB of RAM for 8 GPUs = 256 GB per GPU, this tier's capacity (https://www.coreweave.com/pricing, 2026-09-20); a purchased server would add ${DDR5_USD_PER_GB} $/GB ÷ ${AMORTIZATION_MONTHS} months`,
    '2026-09-20',
  ),
  wattsPerGb: DRAM_WATTS_PER_GB,
  usdPerAcceleratorHour: NONE_PER_ACCELERATOR,
  wattsPerAccelerator: NONE_PER_ACCELERATOR,
};

const CXL_EXPANDER: TierEconomics = {
  usdPerGbMonth: figure(
    12 / AMORTIZATION_MONTHS,
    `estimate: no list price for CXL 2.0 expanders (Micron CZ120, Samsung CMM-D 128–512 GB, sampling/production without public prices); DDR5 at $${DDR5_USD_PER_GB}/GB plus ~20 % for the controller and E3.S module = $12/GB over ${AMORTIZATION_MONTHS} months. ${DDR5_PRICE}`,
    '2025-12-29',
    true,
  ),
  wattsPerGb: figure(
    0.1,
    "estimate: an E3.S 2T CXL module (Micron CZ120 256 GB, 36 GB/s; Tom's Hardware 2023-08-07) is budgeted at ~25 W: about 0.1 W/GB, as DRAM",
    '2023-08-07',
    true,
  ),
  usdPerAcceleratorHour: NONE_PER_ACCELERATOR,
  wattsPerAccelerator: NONE_PER_ACCELERATOR,
};

const OPTICAL_POOL: TierEconomics = {
  usdPerGbMonth: figure(
    11 / AMORTIZATION_MONTHS,
    `estimate: no optical memory pool is sold; DDR5 at $${DDR5_USD_PER_GB}/GB plus ~10 % for the pool's controllers and enclosure = $11/GB over ${AMORTIZATION_MONTHS} months. ${DDR5_PRICE}`,
    '2025-12-29',
    true,
  ),
  wattsPerGb: DRAM_WATTS_PER_GB,
  usdPerAcceleratorHour: figure(
    0.25,
    'estimate: no price for co-packaged optical I/O chiplets (Ayar Labs TeraPHY) or the pool-side port; $0.25 per accelerator-hour ≈ $6,600 over 36 months for the chiplet, laser and fibre',
    '2025-08',
    true,
  ),
  wattsPerAccelerator: figure(
    10,
    'Ayar Labs TeraPHY optical I/O: 4 Tb/s bidirectional at < 5 pJ/bit, "10 Watts" per chiplet (https://ayarlabs.com/artificial-intelligence/); one chiplet per accelerator',
    '2025-08',
  ),
};

const NVME: TierEconomics = {
  usdPerGbMonth: figure(
    0.07,
    'CoreWeave Distributed File Storage $0.070 per GB-month, https://www.coreweave.com/pricing (as transcribed 2026-09-20)',
    '2026-09-20',
  ),
  wattsPerGb: figure(
    18 / 7680,
    "Micron 9550 NVMe SSD: ≤ 18 W average during sequential reads (StorageReview, 9550 MAX review, https://www.storagereview.com/review/micron-9550-max-review-balanced-performance-for-ai-db-and-analytics); over the tier's 7.68 TB drive → 0.0023 W/GB",
    '2025-10',
  ),
  usdPerAcceleratorHour: NONE_PER_ACCELERATOR,
  wattsPerAccelerator: NONE_PER_ACCELERATOR,
};

/** The figures in TIERS order (hardware/tiers.ts owns tier identity: HBM, host DRAM, CXL, the optical pool, NVMe);
 * economics.test.ts checks each against its tier. */
const FIGURES_IN_TIER_ORDER: readonly TierEconomics[] = [HBM, HOST_DRAM, CXL_EXPANDER, OPTICAL_POOL, NVME];
if (FIGURES_IN_TIER_ORDER.length !== TIER_IDS.length) {
  throw new Error(
    `tier-economics.ts has ${FIGURES_IN_TIER_ORDER.length} tiers' figures, hardware/tiers.ts ${TIER_IDS.length}`,
  );
}

export const TIER_ECONOMICS: Readonly<Record<TierId, TierEconomics>> = Object.fromEntries(
  TIER_IDS.map((id, i) => [id, FIGURES_IN_TIER_ORDER[i]]),
) as Record<TierId, TierEconomics>;

/** Links priced apart from the device. NVLink, Infinity Fabric, PCIe and the instances' RDMA NICs are in the
 * instance prices above (CoreWeave's HGX instances include their InfiniBand), so only optical I/O is listed. */
export const LINK_ECONOMICS: Readonly<Record<string, LinkEconomics>> = {
  'optical-io': {
    usdPerPortHour: OPTICAL_POOL.usdPerAcceleratorHour,
    wattsPerPort: OPTICAL_POOL.wattsPerAccelerator,
  },
};
