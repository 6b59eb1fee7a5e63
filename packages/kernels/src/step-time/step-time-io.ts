import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StepTimeModel } from '@oicf/core';
import type { WeightPrecision } from '../model/config.js';
import { presetConfig } from '../model/presets.js';
import { calibratedStepTimeModel } from './calibrated-model.js';
import { costStructure } from './cost-structure.js';
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
 * The calibrated model of preset `modelId` (`tiny-gqa`, …) at `weights` from a saved file: the
 * file's structure of that model when the sweep ran it, otherwise one counted now (~1 s).
 */
export function calibratedModelFromFile(file: StepTimeFile, modelId: string, weights: WeightPrecision): StepTimeModel {
  const structure = savedStructure(file, modelId, weights) ?? costStructure(presetConfig(modelId, { weights }));
  return calibratedStepTimeModel(
    file.fit,
    structure,
    `${modelId} ${weights} on this machine (fitted ${file.measuredAt})`,
  );
}
