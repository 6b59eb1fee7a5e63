// Economics types of @oicf/core: what a device, a memory tier or a link costs per hour and draws in power.
// Every figure carries its source note and the date it was read: nothing in the catalog is without one.

/** One number with where it came from. */
export interface SourcedFigure {
  readonly value: number;
  /** Publisher, document or page, and its URL; for an estimate, how it was derived and why no public figure is used. */
  readonly source: string;
  /** When the figure was read or published, `YYYY-MM-DD` (or `YYYY-MM`). */
  readonly asOf: string;
  /** True when no public figure exists and the value is the project's estimate (the source says why). */
  readonly estimate: boolean;
}

/** What one accelerator costs to run. */
export interface DeviceEconomics {
  /** Cloud on-demand price (or list price) per device-hour, USD. */
  readonly usdPerDeviceHour: SourcedFigure;
  /** Board power limit (TDP), watts. */
  readonly tdpWatts: SourcedFigure;
  /** Power drawn under a typical inference load, watts (what energy figures use). */
  readonly typicalWatts: SourcedFigure;
}

/**
 * What a memory tier adds per accelerator that uses it: capacity-proportional terms (per GB) and terms per
 * attached accelerator (an optical I/O chiplet, a controller). HBM is part of the device (zeros).
 */
export interface TierEconomics {
  /** USD per GB of tier capacity per month (730 hours); amortized purchase prices say over how long. */
  readonly usdPerGbMonth: SourcedFigure;
  /** Watts per GB of tier capacity. */
  readonly wattsPerGb: SourcedFigure;
  /** USD per hour per accelerator attached to the tier (0 when nothing is attached per accelerator). */
  readonly usdPerAcceleratorHour: SourcedFigure;
  /** Watts per accelerator attached to the tier. */
  readonly wattsPerAccelerator: SourcedFigure;
}

/** What one port of a link costs beyond the device price (0 where the instance price includes it). */
export interface LinkEconomics {
  readonly usdPerPortHour: SourcedFigure;
  readonly wattsPerPort: SourcedFigure;
}
