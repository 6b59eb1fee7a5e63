import type { Objectives } from './screen-types.js';

export const ZERO_OBJECTIVES: Objectives = { goodputRps: 0, goodputPerUsd: 0, goodputPerKw: 0, tokensPerJoule: 0 };

/**
 * The objectives from goodput (requests/s meeting both SLOs), the mean output tokens of those requests, the
 * price per hour and the typical power:
 *   goodput per $  = goodput × 3600 ÷ $/h          (requests per dollar)
 *   goodput per kW = goodput ÷ (W ÷ 1000)          ((requests/s) per kW)
 *   tokens per J   = goodput × output tokens ÷ W   (good output tokens per joule)
 */
export function objectivesOf(goodputRps: number, outputTokens: number, usdPerHour: number, watts: number): Objectives {
  return {
    goodputRps,
    goodputPerUsd: usdPerHour > 0 ? (goodputRps * 3600) / usdPerHour : 0,
    goodputPerKw: watts > 0 ? goodputRps / (watts / 1000) : 0,
    tokensPerJoule: watts > 0 ? (goodputRps * outputTokens) / watts : 0,
  };
}
