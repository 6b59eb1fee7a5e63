// Config loading for apps: a zod schema with defaults, filled from a JSON file, then environment variables,
// then command-line flags (later sources win). Validation happens once, at startup, and fails listing every
// bad field by its path and the source that set it.
//
//   file   --config kv-pool.json (or sources.file)     { "grpc": { "port": 7001 } }
//   env    <prefix><PATH>, segments joined by "__"     OICF_KVPOOL_GRPC__PORT=7001
//                                                      OICF_KVPOOL_TIERS__DRAM__CAPACITY_BYTES=1e9
//   flags  --<dotted.path>=<value> or --<path> <value>  --grpc.port=7001  --tiers.dram.capacityBytes 1e9
//
// Env and flag values are text; each is read as the type the schema expects at its path (a string stays a
// string, numbers and booleans are parsed, objects and arrays are JSON). A path the schema does not have is
// reported as an unknown setting rather than ignored. Use z.strictObject in schemas so unknown keys in the
// file are reported too.
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { OicfError } from './oicf-error.js';

export interface ConfigSources {
  /** Name used in messages, e.g. "kv-pool". */
  name: string;
  /** JSON file to read first (a `--config <file>` flag overrides it). */
  file?: string;
  /** Environment to read, e.g. `process.env` (packages never read process.env themselves). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Only variables starting with this are read, e.g. "OICF_KVPOOL_". Without it env is ignored. */
  envPrefix?: string;
  /** Command-line arguments, e.g. `process.argv.slice(2)`. */
  argv?: readonly string[];
}

export interface ConfigIssue {
  /** Dotted path of the field ('' for the whole config). */
  path: string;
  message: string;
  /** Where the bad value came from: "default", "file x.json", "env X", "flag --x". */
  source: string;
}

/** Thrown when the config is invalid; `issues` lists every problem, and so does the message. */
export class ConfigError extends OicfError {
  readonly issues: readonly ConfigIssue[];
  constructor(name: string, issues: ConfigIssue[]) {
    const lines = issues.map((i) => `  ${i.path === '' ? '(config)' : i.path}: ${i.message} (from ${i.source})`);
    super(
      'INVALID_ARGUMENT',
      `invalid ${name} config, ${issues.length} problem${issues.length === 1 ? '' : 's'}:\n${lines.join('\n')}`,
      { field: issues[0]?.path ?? '' },
    );
    this.issues = issues;
  }
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Tree = Record<string, unknown>;
type AnySchema = z.ZodType & {
  def?: {
    type: string;
    innerType?: AnySchema;
    shape?: Record<string, AnySchema>;
    valueType?: AnySchema;
    in?: AnySchema;
  };
};

/** The schema at `path`, looking through optional/default/nullable wrappers; undefined if the path does not exist. */
function schemaAt(schema: AnySchema, path: readonly string[]): AnySchema | undefined {
  let s: AnySchema | undefined = schema;
  for (let i = 0; ; i++) {
    while (
      s?.def !== undefined &&
      ['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch'].includes(s.def.type)
    ) {
      s = s.def.innerType;
    }
    if (s?.def?.type === 'pipe') s = s.def.in;
    if (i === path.length || s === undefined) return s;
    const key = path[i] as string;
    if (s.def?.type === 'object') s = s.def.shape?.[key];
    else if (s.def?.type === 'record') s = s.def.valueType;
    else return undefined;
  }
}

/** Reads a text value as the type the schema expects; leaves it as text when it does not parse. */
function parseText(raw: string, leaf: AnySchema): unknown {
  const type = leaf.def?.type;
  if (type === 'string' || type === 'enum' || type === 'literal' || type === 'template_literal') return raw;
  if (type === 'number' || type === 'int') return raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  if (type === 'boolean') return raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : raw;
  try {
    return JSON.parse(raw) as Json;
  } catch {
    return raw;
  }
}

function setPath(tree: Tree, path: readonly string[], value: unknown): void {
  let node = tree;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Tree;
  }
  node[path[path.length - 1] as string] = value;
}

function deepMerge(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    const bothObjects = [b, v].every((x) => typeof x === 'object' && x !== null && !Array.isArray(x));
    out[k] = bothObjects ? deepMerge(b as Tree, v as Tree) : v;
  }
  return out;
}

/** Records which source last set each leaf path, so issues can name where a bad value came from. */
function recordSources(tree: unknown, prefix: string, source: string, into: Map<string, string>): void {
  into.set(prefix, source);
  if (typeof tree === 'object' && tree !== null && !Array.isArray(tree)) {
    for (const [k, v] of Object.entries(tree)) recordSources(v, prefix === '' ? k : `${prefix}.${k}`, source, into);
  }
}

/** The value at `path` in a merged tree (undefined where nothing was set). */
function valueAt(tree: unknown, path: readonly PropertyKey[]): unknown {
  let node = tree;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

const camel = (s: string) => s.toLowerCase().replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
const kebabToCamel = (s: string) => s.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/** Parses and validates the config; throws ConfigError listing every problem. */
export function loadConfig<S extends z.ZodType>(schema: S, sources: ConfigSources): z.output<S> {
  const issues: ConfigIssue[] = [];
  const origin = new Map<string, string>(); // flag-set paths
  const root = schema as AnySchema;

  // Flags first (they may name the file), applied last.
  const flagTree: Tree = {};
  let file = sources.file;
  const argv = sources.argv ?? [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) {
      issues.push({
        path: '',
        message: `unexpected argument ${JSON.stringify(arg)}: settings are --path=value`,
        source: 'flags',
      });
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    let raw: string | undefined = eq >= 0 ? arg.slice(eq + 1) : undefined;
    if (raw === undefined && i + 1 < argv.length && !(argv[i + 1] as string).startsWith('--')) raw = argv[++i];
    if (name === 'config') {
      file = raw;
      continue;
    }
    const path = name.split('.').map(kebabToCamel);
    const leaf = schemaAt(root, path);
    if (leaf === undefined) {
      issues.push({ path: path.join('.'), message: 'unknown setting', source: `flag --${name}` });
      continue;
    }
    setPath(flagTree, path, raw === undefined ? true : parseText(raw, leaf));
    origin.set(path.join('.'), `flag --${name}`);
  }

  let fileTree: Tree = {};
  if (file !== undefined) {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        issues.push({ path: '', message: 'the config file must hold a JSON object', source: `file ${file}` });
      } else fileTree = parsed as Tree;
    } catch (err) {
      issues.push({ path: '', message: `cannot read JSON config: ${(err as Error).message}`, source: `file ${file}` });
    }
  }

  const envTree: Tree = {};
  const envOrigin = new Map<string, string>();
  if (sources.envPrefix !== undefined && sources.env !== undefined) {
    for (const [key, raw] of Object.entries(sources.env)) {
      if (!key.startsWith(sources.envPrefix) || raw === undefined) continue;
      const path = key.slice(sources.envPrefix.length).split('__').map(camel);
      const leaf = schemaAt(root, path);
      if (leaf === undefined) {
        issues.push({ path: path.join('.'), message: 'unknown setting', source: `env ${key}` });
        continue;
      }
      setPath(envTree, path, parseText(raw, leaf));
      envOrigin.set(path.join('.'), `env ${key}`);
    }
  }

  // Which source set each path: flags over env over file; anything else came from the schema default.
  const fileOrigin = new Map<string, string>();
  if (file !== undefined) recordSources(fileTree, '', `file ${file}`, fileOrigin);
  const sourceOf = (path: string): string => {
    for (let p = path; ; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
      const s = origin.get(p) ?? envOrigin.get(p) ?? (p === '' ? undefined : fileOrigin.get(p));
      if (s !== undefined) return s;
      if (p === '') return 'default';
    }
  };

  const merged = deepMerge(deepMerge(fileTree, envTree), flagTree);
  const result = schema.safeParse(merged);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const keys = (issue as { keys?: string[] }).keys;
      const base = issue.path.map(String).join('.');
      if (issue.code === 'unrecognized_keys' && keys !== undefined) {
        for (const k of keys) {
          const path = base === '' ? k : `${base}.${k}`;
          issues.push({ path, message: 'unknown setting', source: sourceOf(path) });
        }
      } else if (issue.code === 'invalid_type' && valueAt(merged, issue.path) === undefined) {
        // A required setting no source gave: say so, rather than blame a "default" that does not exist.
        issues.push({ path: base, message: `required, not set (expected ${issue.expected})`, source: 'no source' });
      } else {
        issues.push({ path: base, message: issue.message, source: sourceOf(base) });
      }
    }
  }
  if (issues.length > 0) throw new ConfigError(sources.name, issues);
  return (result as { data: z.output<S> }).data;
}
