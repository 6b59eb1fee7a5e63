import type { DeviceEconomics, SourcedFigure } from '../types.js';

// Price and power of each catalog device. Every figure names its source and the date it was read; an
// `estimate` says why no public figure is used. Prices are cloud on-demand rates per GPU-hour from one
// provider where it lists the part (CoreWeave, so the NVIDIA parts compare on one price list); they include
// the host share (CPU, host DRAM, local NVMe, NICs) the instance bundles. Neocloud rates run 35–50 % lower
// (Lambda, same date: 8× H100 SXM $3.99, 8× B200 $6.69 per GPU-hour); pass your own in a device JSON's
// `economics` to price a different contract.

const COREWEAVE =
  'CoreWeave on-demand price list, https://www.coreweave.com/pricing (as transcribed verbatim on 2026-09-20 in github.com/api-evangelist/coreweave plans/coreweave-plans-pricing.yml)';
const COREWEAVE_DATE = '2026-09-20';

/** Typical inference draw as a share of the power limit: Oviedo et al., "Energy Use of AI Inference"
 * (Microsoft, arXiv:2509.20241, Sep 2025) model an H100 node under production inference at 0.7 × its
 * maximum power (P5–P95 0.4–0.9); applied here to the board power limit. */
export const TYPICAL_SHARE_OF_TDP = 0.7;
const TYPICAL_SOURCE = `${TYPICAL_SHARE_OF_TDP} × TDP: Oviedo et al., "Energy Use of AI Inference: Efficiency Pathways and Test-Time Compute", arXiv:2509.20241 (https://arxiv.org/abs/2509.20241), node power under production inference modelled at 0.7 × P_max (P5–P95 0.4–0.9); applying the node ratio to the board is this catalog's assumption`;

function figure(value: number, source: string, asOf: string, estimate = false): SourcedFigure {
  return { value, source, asOf, estimate };
}

function typical(tdp: SourcedFigure): SourcedFigure {
  return figure(TYPICAL_SHARE_OF_TDP * tdp.value, TYPICAL_SOURCE, '2025-09-24', tdp.estimate);
}

function entry(usd: SourcedFigure, tdp: SourcedFigure): DeviceEconomics {
  return { usdPerDeviceHour: usd, tdpWatts: tdp, typicalWatts: typical(tdp) };
}

const NVIDIA_H100_TDP = figure(
  700,
  'NVIDIA H100 Tensor Core GPU datasheet (SXM): max TDP up to 700 W (configurable), https://www.nvidia.com/en-us/data-center/h100/',
  '2023-09',
);

export const DEVICE_ECONOMICS: Readonly<Record<string, DeviceEconomics>> = {
  h100: entry(
    figure(49.24 / 8, `${COREWEAVE}: NVIDIA HGX H100, 8 GPUs, $49.24/hour → $6.155 per GPU-hour`, COREWEAVE_DATE),
    NVIDIA_H100_TDP,
  ),
  h200: entry(
    figure(50.44 / 8, `${COREWEAVE}: NVIDIA HGX H200, 8 GPUs, $50.44/hour → $6.305 per GPU-hour`, COREWEAVE_DATE),
    figure(
      700,
      'NVIDIA H200 Tensor Core GPU datasheet (SXM): max TDP up to 700 W (configurable), https://www.nvidia.com/en-us/data-center/h200/',
      '2024-11',
    ),
  ),
  b200: entry(
    figure(68.8 / 8, `${COREWEAVE}: NVIDIA HGX B200, 8 GPUs, $68.80/hour → $8.60 per GPU-hour`, COREWEAVE_DATE),
    figure(
      1000,
      "NVIDIA HGX B200: each GPU configurable up to 1,000 W (NVIDIA DGX B200 user guide, https://docs.nvidia.com/dgx/dgxb200-user-guide/; per-precision figures at 1,000 W in NVIDIA's Blackwell datasheet, summarised at https://glennklockwood.com/garden/processors/B200)",
      '2025-03',
    ),
  ),
  gb200: entry(
    figure(
      42 / 4,
      `${COREWEAVE}: NVIDIA GB200 NVL72 (on-demand, North America), 4 GPUs, $42.00/hour → $10.50 per GPU-hour (the page also lists $10.50 per single GB200 GPU for inference)`,
      COREWEAVE_DATE,
    ),
    figure(
      1200,
      'NVIDIA Blackwell datasheet: the GB200 variant of B200 configured to 1,200 W per GPU (summarised at https://glennklockwood.com/garden/processors/B200)',
      '2025-03',
    ),
  ),
  mi300x: entry(
    figure(
      6,
      'Azure and Oracle list MI300X at about $6 per GPU-hour (cliffcenter.com research note "AMD inference economics", 2026-05-18, https://www.cliffcenter.com/research/amd-inference-economics); CoreWeave lists no MI300X. Neoclouds rent it for $1.50–2.59 (TensorWave, DigitalOcean list price $2.59 on 2026-10-07), a different price class from the CoreWeave rates used for the NVIDIA parts',
      '2026-05-18',
    ),
    figure(
      750,
      'AMD Instinct MI300X datasheet: 750 W peak total board power, https://www.amd.com/en/products/accelerators/instinct/mi300/mi300x.html',
      '2023-12',
    ),
  ),
  'rubin-cpx': entry(
    figure(
      4,
      'estimate: no price announced (NVIDIA newsroom, 9 Sep 2025: "relatively low-cost", GDDR7 without HBM or CoWoS). Placed between CoreWeave\'s GDDR7 RTX PRO 6000 Blackwell Server Edition ($20.00/hour for 8 → $2.50 per GPU-hour, 2026-09-20) and its H100 ($6.155), for a part with 128 GB and far more compute',
      '2026-09-20',
      true,
    ),
    figure(
      800,
      "estimate: no board power announced for Rubin CPX (PCIe Gen 6 card in the Vera Rubin NVL144 CPX rack). The GDDR7 RTX PRO 6000 Blackwell Server Edition is a 600 W card; 800 W allows for Rubin CPX's larger compute die",
      '2025-09-09',
      true,
    ),
  ),
  'lpddr-decode': entry(
    figure(
      50.44 / 8,
      'estimate: the capacity-rich decode part is illustrative, not a product; priced as the H200 it would replace for decode (CoreWeave HGX H200, $6.305 per GPU-hour, 2026-09-20), so a comparison turns on its figures, not a guessed discount',
      '2026-09-20',
      true,
    ),
    figure(
      400,
      "estimate: 400 TF BF16 at Hopper's 989 TF per 700 W ≈ 285 W of compute, plus 1 TB of LPDDR5X at 2 TB/s × ~5 pJ/bit ≈ 80 W, rounded up to 400 W",
      '2025-09',
      true,
    ),
  ),
  'this-machine': entry(
    figure(
      0.1,
      'estimate: two cores of a shared cloud VM (a 2-vCPU general-purpose instance lists at about $0.08–0.10 per hour on AWS and GCP); for runs of the local cluster, not target hardware',
      '2026-01',
      true,
    ),
    figure(
      20,
      'estimate: two server cores at about 10 W each under load; for runs of the local cluster',
      '2026-01',
      true,
    ),
  ),
};
