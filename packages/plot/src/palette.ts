/**
 * Colours and marker shapes. Series colours are the Okabe–Ito palette, which
 * stays distinguishable under the common colour-vision deficiencies; series
 * also differ by marker shape so print and greyscale still separate them.
 * Yellow (#F0E442) is left out: too little contrast on white.
 */

import type { Regime } from '@oicf/core';

export const SERIES_COLORS = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#000000'] as const;

export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond' | 'triangle-down';

export const MARKER_SHAPES: readonly MarkerShape[] = ['circle', 'square', 'triangle', 'diamond', 'triangle-down'];

/** Device roofs and limit lines: dark neutrals told apart by dash pattern, labelled directly on the line. */
export const DEVICE_STYLES = [
  { color: '#222222', dash: '' },
  { color: '#555555', dash: '7 4' },
  { color: '#777777', dash: '2 3' },
  { color: '#333333', dash: '10 3 2 3' },
  { color: '#666666', dash: '4 2' },
] as const;

/** Light fills for the OI–CF regime regions (tints of Okabe–Ito blue, orange, purple, vermillion). */
export const REGIME_FILLS: Readonly<Record<Regime, string>> = {
  'compute-bound': '#DCEBF5',
  'bandwidth-bound': '#FBEFD6',
  'capacity-bound': '#F3E3EE',
  'capacity-and-bandwidth-bound': '#F8DED3',
};

export function seriesColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length] as string;
}

export function seriesMarker(index: number): MarkerShape {
  return MARKER_SHAPES[index % MARKER_SHAPES.length] as MarkerShape;
}

export function deviceStyle(index: number): { color: string; dash: string } {
  return DEVICE_STYLES[index % DEVICE_STYLES.length] as { color: string; dash: string };
}
