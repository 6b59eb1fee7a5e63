import { lookupById } from '../catalog-lookup.js';
import type { DeviceSpec, Result } from '../types.js';
import { catalogLink } from './links.js';
import { THIS_MACHINE_DESIGN_PROFILE, thisMachineDevice } from './this-machine.js';

// Dense peaks (vendor "with sparsity" figures halved). One GPU per entry; a scale-up domain is
// modelled with ShardingSpec.numDevices. Capacity and bandwidth are the device's own memory.

export const DEVICES: readonly DeviceSpec[] = [
  {
    id: 'h100',
    displayName: 'NVIDIA H100 SXM',
    source:
      'NVIDIA H100 Tensor Core GPU datasheet (SXM): FP32 67 TF; BF16/FP16 1979 TF and FP8/INT8 3958 TF with sparsity → 989.4 / 1979 TF dense; 80 GB HBM3 at 3.35 TB/s; NVLink 900 GB/s; HGX 8-GPU board',
    peakFlopsPerSecond: { fp32: 66.9e12, bf16: 989.4e12, fp16: 989.4e12, fp8: 1979e12, int8: 1979e12 },
    memoryCapacityBytes: 80e9,
    memoryBandwidthBytesPerSecond: 3.35e12,
    scaleUp: { link: catalogLink('nvlink4'), maxDomainDevices: 8 },
  },
  {
    id: 'h200',
    displayName: 'NVIDIA H200 SXM',
    source:
      'NVIDIA H200 datasheet (SXM): same compute as H100 SXM (989.4 TF BF16, 1979 TF FP8 dense); 141 GB HBM3e at 4.8 TB/s; NVLink 900 GB/s',
    peakFlopsPerSecond: { fp32: 66.9e12, bf16: 989.4e12, fp16: 989.4e12, fp8: 1979e12, int8: 1979e12 },
    memoryCapacityBytes: 141e9,
    memoryBandwidthBytesPerSecond: 4.8e12,
    scaleUp: { link: catalogLink('nvlink4'), maxDomainDevices: 8 },
  },
  {
    id: 'b200',
    displayName: 'NVIDIA B200 (HGX)',
    source:
      'NVIDIA HGX B200 datasheet, 8 GPUs: FP4 144 PF, FP8 72 PF, INT8 72 POPS, BF16 36 PF (sparse), FP32 600 TF, 1.44 TB HBM3e, 64 TB/s → per GPU dense 9 / 4.5 / 4.5 / 2.25 PF, FP32 75 TF, 180 GB at 8 TB/s; NVLink 5 1.8 TB/s',
    peakFlopsPerSecond: { fp32: 75e12, bf16: 2.25e15, fp16: 2.25e15, fp8: 4.5e15, int8: 4.5e15, fp4: 9e15 },
    memoryCapacityBytes: 180e9,
    memoryBandwidthBytesPerSecond: 8e12,
    scaleUp: { link: catalogLink('nvlink5'), maxDomainDevices: 8 },
  },
  {
    id: 'gb200',
    displayName: 'NVIDIA GB200 (NVL72, per Blackwell GPU)',
    source:
      'NVIDIA GB200 NVL72 datasheet, 72 GPUs: FP4 1440 PF, FP8 720 PF, INT8 720 POPS, BF16 360 PF (sparse), FP32 5760 TF, 13.4 TB HBM3e at 576 TB/s → per GPU dense 10 / 5 / 5 / 2.5 PF, FP32 80 TF, 186 GB at 8 TB/s; 72-GPU NVLink 5 domain',
    peakFlopsPerSecond: { fp32: 80e12, bf16: 2.5e15, fp16: 2.5e15, fp8: 5e15, int8: 5e15, fp4: 10e15 },
    memoryCapacityBytes: 186e9,
    memoryBandwidthBytesPerSecond: 8e12,
    scaleUp: { link: catalogLink('nvlink5'), maxDomainDevices: 72 },
  },
  {
    id: 'mi300x',
    displayName: 'AMD Instinct MI300X',
    source:
      'AMD Instinct MI300X datasheet: FP32 matrix 163.4 TF, FP16/BF16 1307.4 TF, FP8 2614.9 TF, INT8 2614.9 TOPS (dense); 192 GB HBM3 at 5.3 TB/s; 8-GPU Infinity Fabric platform',
    peakFlopsPerSecond: { fp32: 163.4e12, bf16: 1307.4e12, fp16: 1307.4e12, fp8: 2614.9e12, int8: 2614.9e12 },
    memoryCapacityBytes: 192e9,
    memoryBandwidthBytesPerSecond: 5.3e12,
    scaleUp: { link: catalogLink('infinity-fabric'), maxDomainDevices: 8 },
  },
  {
    id: 'rubin-cpx',
    displayName: 'NVIDIA Rubin CPX (prefill-specialised)',
    source:
      'NVIDIA newsroom, "NVIDIA Unveils Rubin CPX: A New Class of GPU Designed for Massive-Context Inference" (9 Sep 2025): up to 30 PF NVFP4, 128 GB GDDR7. Bandwidth ~2 TB/s is an estimate (GDDR7-class; not in the announcement). FP8 15 PF and BF16 7.5 PF are assumptions (Blackwell ratio 1/2, 1/4 of FP4)',
    peakFlopsPerSecond: { fp4: 30e15, fp8: 15e15, bf16: 7.5e15, fp16: 7.5e15 },
    memoryCapacityBytes: 128e9,
    memoryBandwidthBytesPerSecond: 2e12,
  },
  {
    id: 'lpddr-decode',
    displayName: 'Capacity-rich decode part (illustrative)',
    source:
      'Illustrative, not a product: a decode accelerator trading peak FLOP/s for capacity: 1 TB of LPDDR5X-class memory on 32 × 64-bit channels at 8533 MT/s (32 × 68 GB/s ≈ 2.2 TB/s, rounded to 2 TB/s), 400 TF BF16 / 800 TF FP8 dense',
    peakFlopsPerSecond: { fp32: 50e12, bf16: 400e12, fp16: 400e12, fp8: 800e12, int8: 800e12 },
    memoryCapacityBytes: 1e12,
    memoryBandwidthBytesPerSecond: 2e12,
  },
  thisMachineDevice(THIS_MACHINE_DESIGN_PROFILE),
];

export const DEVICE_IDS: readonly string[] = DEVICES.map((device) => device.id);

export function getDevice(id: string): Result<DeviceSpec> {
  return lookupById('device', DEVICES, id);
}
