/**
 * The project's one reader of the Prometheus text exposition format (version 0.0.4, what prom-client
 * serves and what every oicf service's /metrics answers). Pure: no prom-client, no `node:*`.
 *
 *   # HELP oicf_router_ttft_seconds Time to first token.
 *   # TYPE oicf_router_ttft_seconds histogram
 *   oicf_router_ttft_seconds_bucket{le="0.1",model_name="tiny"} 3
 *   oicf_kvpool_tier_used_bytes{tier="cxl"} 1.5e+09 1700000000000
 *
 * A sample line is `name[{label="value",...}] value [timestamp]`, tokens separated by spaces or tabs.
 * Label values are quoted and escape only `\\`, `\"` and `\n` (so `}`, `,`, `=` and `#` may appear
 * inside them as they are); a trailing comma before `}` is allowed. Values are Go floats: decimal or
 * exponent notation, `NaN`, `+Inf`, `-Inf` (any case). The timestamp is an integer, milliseconds since
 * the Unix epoch. `# HELP` text escapes `\\` and `\n`; other `#` lines are comments. Lines end with LF
 * (a CR before it is dropped).
 *
 * A report must survive a service that prints one odd line, so a bad line is skipped and returned as
 * an issue (1-based line number and what was wrong) instead of thrown.
 */

export type PromMetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface PromSample {
  /** Series name as printed (`…_bucket`, `…_total` included). */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  /** Optional timestamp, milliseconds since the Unix epoch. */
  readonly timestampMs?: number;
}

export interface PromParseIssue {
  readonly line: number;
  readonly message: string;
}

export interface PromParseResult {
  readonly samples: PromSample[];
  /** `# TYPE` declarations by family name. */
  readonly types: ReadonlyMap<string, PromMetricType>;
  readonly help: ReadonlyMap<string, string>;
  readonly issues: PromParseIssue[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const TYPES: readonly PromMetricType[] = ['counter', 'gauge', 'histogram', 'summary', 'untyped'];

export function parsePrometheusText(text: string): PromParseResult {
  const samples: PromSample[] = [];
  const types = new Map<string, PromMetricType>();
  const help = new Map<string, string>();
  const issues: PromParseIssue[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    if (line.startsWith('#')) {
      const m = /^#[ \t]*(HELP|TYPE)[ \t]+(\S+)[ \t]*(.*)$/.exec(line);
      if (!m) return; // a plain comment
      const [, keyword, family, rest] = m as unknown as [string, string, string, string];
      if (keyword === 'HELP') help.set(family, unescapeHelp(rest));
      else if ((TYPES as readonly string[]).includes(rest.trim())) types.set(family, rest.trim() as PromMetricType);
      else issues.push({ line: i + 1, message: `unknown metric type '${rest.trim()}' for ${family}` });
      return;
    }
    const parsed = parseSampleLine(line);
    if (typeof parsed === 'string') issues.push({ line: i + 1, message: parsed });
    else samples.push(parsed);
  });
  return { samples, types, help, issues };
}

/** One sample line, or a message saying what was wrong. */
function parseSampleLine(line: string): PromSample | string {
  const nameMatch = NAME.exec(line);
  if (!nameMatch) return `expected a metric name at the start of '${clip(line)}'`;
  const name = nameMatch[0];
  let pos = name.length;
  // No prototype: a label may be called `__proto__` or `constructor` and must stay a plain entry.
  const labels: Record<string, string> = Object.create(null);
  if (line[pos] === '{') {
    pos += 1;
    for (;;) {
      pos = skipSpaces(line, pos);
      if (line[pos] === '}') {
        pos += 1;
        break;
      }
      const labelMatch = LABEL_NAME.exec(line.slice(pos));
      if (!labelMatch) return `${name}: expected a label name at column ${pos + 1}`;
      const labelName = labelMatch[0];
      if (Object.hasOwn(labels, labelName)) return `${name}: label ${labelName} is given twice`;
      pos = skipSpaces(line, pos + labelName.length);
      if (line[pos] !== '=') return `${name}: expected '=' after label ${labelName}`;
      pos = skipSpaces(line, pos + 1);
      if (line[pos] !== '"') return `${name}: label ${labelName} value must be a quoted string`;
      const value = readQuoted(line, pos + 1);
      if (value === 'unterminated') return `${name}: unterminated value of label ${labelName}`;
      if ('escape' in value) return `${name}: invalid escape '\\${value.escape}' in the value of label ${labelName}`;
      labels[labelName] = value.text;
      pos = skipSpaces(line, value.end);
      if (line[pos] === ',') pos += 1;
      else if (line[pos] !== '}') return `${name}: expected ',' or '}' after label ${labelName}`;
    }
  }
  const rest = line
    .slice(pos)
    .trim()
    .split(/[ \t]+/);
  if (rest[0] === '') return `${name}: missing value`;
  if (rest.length > 2) return `${name}: unexpected text after the timestamp: '${clip(rest.slice(2).join(' '))}'`;
  const value = parseValue(rest[0] as string);
  if (value === undefined) return `${name}: value '${clip(rest[0] as string)}' is not a number`;
  if (rest.length === 2) {
    const ts = rest[1] as string;
    if (!/^-?\d+$/.test(ts)) return `${name}: timestamp '${clip(ts)}' is not an integer (milliseconds)`;
    return { name, labels, value, timestampMs: Number(ts) };
  }
  return { name, labels, value };
}

function parseValue(text: string): number | undefined {
  if (/^nan$/i.test(text)) return Number.NaN;
  const inf = /^([+-]?)inf(inity)?$/i.exec(text);
  if (inf) return inf[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  // Number('') is 0 and Number('0x10') is 16: accept only decimal float syntax.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

/** The unescaped value from just after the opening quote to its closing quote, or what is wrong with it. */
function readQuoted(line: string, start: number): { text: string; end: number } | { escape: string } | 'unterminated' {
  let text = '';
  for (let i = start; i < line.length; i++) {
    const c = line[i] as string;
    if (c === '"') return { text, end: i + 1 };
    if (c !== '\\') {
      text += c;
      continue;
    }
    const next = line[i + 1];
    if (next === 'n') text += '\n';
    else if (next === '\\' || next === '"') text += next;
    else return next === undefined ? 'unterminated' : { escape: next };
    i += 1;
  }
  return 'unterminated';
}

function unescapeHelp(text: string): string {
  return text.replace(/\\(n|\\)/g, (_m, c: string) => (c === 'n' ? '\n' : '\\'));
}

function skipSpaces(line: string, pos: number): number {
  let p = pos;
  while (line[p] === ' ' || line[p] === '\t') p += 1;
  return p;
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * The family a sample belongs to: histogram/summary series `x_bucket`, `x_sum`, `x_count` (and
 * `x_created`) belong to `x` when `x` is declared; otherwise the sample's own name.
 */
export function familyOf(sampleName: string, types: ReadonlyMap<string, PromMetricType>): string {
  for (const suffix of ['_bucket', '_sum', '_count', '_created']) {
    if (sampleName.endsWith(suffix)) {
      const base = sampleName.slice(0, -suffix.length);
      const type = types.get(base);
      if (type === 'histogram' || type === 'summary') return base;
    }
  }
  return sampleName;
}

/** A stable key for a series: its name and its labels sorted by name. */
export function seriesKey(sample: Pick<PromSample, 'name' | 'labels'>): string {
  const labels = Object.keys(sample.labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(sample.labels[k])}`);
  return `${sample.name}{${labels.join(',')}}`;
}
