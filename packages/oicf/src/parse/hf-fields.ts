import type { FieldIssue } from '../types.js';
import {
  describe,
  type NumberRule,
  naturalNumber,
  numberContract,
  positiveInteger,
  validNumber,
} from './zod-fields.js';

/**
 * Reads the fields of a Hugging Face `config.json` by their HF names and collects every problem at once,
 * each under the HF field name (`num_key_value_heads: must be an integer ≥ 1, got nothing (missing)`), so a
 * user sees which key of their file to fix. A failed read returns NaN; callers check `issues` before using
 * the numbers. `null` counts as absent (transformers writes `"q_lora_rank": null`, `"sliding_window": null`).
 * Notes collect what the model spec cannot express (biases, sliding windows, quantization), so the output
 * can say what the figures leave out.
 */
export class HfFields {
  readonly issues: FieldIssue[] = [];
  readonly notes: string[] = [];

  constructor(
    readonly json: Readonly<Record<string, unknown>>,
    /** How the family was detected, e.g. `model_type 'llama'`: named in "required for …" messages. */
    readonly family: string,
  ) {}

  has(name: string): boolean {
    return this.json[name] !== undefined && this.json[name] !== null;
  }

  /** A required count (integer ≥ 1 unless `rule` says otherwise). */
  count(name: string, rule: NumberRule = positiveInteger): number {
    const value = this.json[name];
    if (value === undefined || value === null) {
      this.issues.push({
        path: name,
        message: `${numberContract(rule)}, got ${describe(value)} (required for ${this.family})`,
      });
      return Number.NaN;
    }
    return this.check(name, value, rule);
  }

  /** An optional count: `fallback` when absent or null. */
  optionalCount(name: string, fallback: number, rule: NumberRule = positiveInteger): number {
    const value = this.json[name];
    return value === undefined || value === null ? fallback : this.check(name, value, rule);
  }

  /** A count that HF spells more than one way (`num_experts_per_tok` or `experts_per_token`): the first present. */
  countOf(names: readonly [string, ...string[]], rule: NumberRule = positiveInteger): number {
    const present = names.find((n) => this.has(n));
    if (present !== undefined) return this.check(present, this.json[present], rule);
    this.issues.push({
      path: names[0],
      message: `${numberContract(rule)}, got nothing (missing; also looked for ${names.slice(1).join(', ')}) (required for ${this.family})`,
    });
    return Number.NaN;
  }

  /** A boolean with its transformers default. */
  flag(name: string, fallback: boolean): boolean {
    const value = this.json[name];
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'boolean') return value;
    this.issues.push({ path: name, message: `must be true or false, got ${describe(value)}` });
    return fallback;
  }

  /** A list of layer indices (`mlp_only_layers`): each an integer in [0, numLayers). */
  layerList(name: string, numLayers: number): number[] {
    const value = this.json[name];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.issues.push({ path: name, message: `must be a list of layer indices, got ${describe(value)}` });
      return [];
    }
    const rule = { ...naturalNumber, max: numLayers - 1, maxLabel: 'num_hidden_layers − 1' };
    const out: number[] = [];
    value.forEach((v, i) => {
      if (validNumber(v, rule) === undefined) {
        this.issues.push({ path: `${name}[${i}]`, message: `${numberContract(rule)}, got ${describe(v)}` });
      } else out.push(v as number);
    });
    return [...new Set(out)];
  }

  /** A string field, or undefined when absent or not a string. */
  text(name: string): string | undefined {
    const value = this.json[name];
    return typeof value === 'string' ? value : undefined;
  }

  note(text: string): void {
    this.notes.push(text);
  }

  private check(name: string, value: unknown, rule: NumberRule): number {
    if (validNumber(value, rule) !== undefined) return value as number;
    this.issues.push({ path: name, message: `${numberContract(rule)}, got ${describe(value)}` });
    return Number.NaN;
  }
}

/** "12,345": counts in notes. */
export function grouped(n: number): string {
  return n.toLocaleString('en-US');
}
