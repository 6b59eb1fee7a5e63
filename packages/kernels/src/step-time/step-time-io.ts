import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StepTimeModel } from '@oicf/core';
import type { WeightPrecision } from '../model/config.js';
import { presetConfig } from '../model/presets.js';
import { calibratedStepTimeModel } from './calibrated-model.js';
import { costStructure } from './cost-structure.js';
import type { CacheState } from './fit-by-state.js';
import { parseStepTimeFile, type StepTimeFile, StepTimeFileError, savedStructure } from './step-time-file.js';

/** Reads a saved step-time file; undefined when it does not exist. Throws StepTimeFileError when it is bad. */
export function loadStepTimeFile(path: string): StepTimeFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StepTimeFileError(`${path}: cannot read (${(e as Error).message})`);
  }
  return parseStepTimeFile(text, path);
}

/** Writes a step-time file as pretty JSON, creating the directory. */
export function saveStepTimeFile(path: string, file: StepTimeFile): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
}

/**
 * Which of a file's fits prices the steps: 'pooled' (default) the one fit over every sample, as
 * every file before round 6; a cache state, that state's prices (the state the real run being
 * predicted recorded); 'mix' each step as the two states' prices weighted by the share of the
 * measured repeats in each (a run of unknown state on this host, on average).
 */
export type StepTimeState = 'pooled' | CacheState | 'mix';

/**
 * The calibrated model of preset `modelId` (`tiny-gqa`, …) at `weights` from a saved file: the
 * file's structure of that model when the sweep ran it, otherwise one counted now (~1 s). A state
 * other than 'pooled' needs the file's per-state section (StepTimeFileError otherwise).
 */
export function calibratedModelFromFile(
  file: StepTimeFile,
  modelId: string,
  weights: WeightPrecision,
  state: StepTimeState = 'pooled',
): StepTimeModel {
  const structure = savedStructure(file, modelId, weights) ?? costStructure(presetConfig(modelId, { weights }));
  const label = `${modelId} ${weights} on this machine (fitted ${file.measuredAt}`;
  if (state === 'pooled') return calibratedStepTimeModel(file.fit, structure, `${label})`);
  const states = file.states;
  if (states === undefined)
    throw new StepTimeFileError(
      `step-time file of ${file.measuredAt}: state '${state}' asked for, but the file has no per-state fit (states); use 'pooled' or refit with the state judge`,
    );
  if (state !== 'mix') return calibratedStepTimeModel(states.byState[state], structure, `${label}, ${state} state)`);
  const cached = calibratedStepTimeModel(states.byState.cached, structure);
  const uncached = calibratedStepTimeModel(states.byState.uncached, structure);
  const p = states.shareOfRepeats.cached / (states.shareOfRepeats.cached + states.shareOfRepeats.uncached);
  return {
    kind: 'calibrated',
    label: `${label}, mix ${(100 * p).toFixed(0)} % cached)`,
    stepSeconds: (step) => p * cached.stepSeconds(step) + (1 - p) * uncached.stepSeconds(step),
  };
}
