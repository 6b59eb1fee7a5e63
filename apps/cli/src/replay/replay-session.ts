import { join, resolve } from 'node:path';
import { type ClusterLauncher, type ClusterOverrides, EMULATE_NONE, overridesFor, variantSlug } from '@oicf/cluster';
import {
  contextFit,
  discoverScrapeTargets,
  executeReplay,
  maxContextFromWorkers,
  overflowVerdict,
  type PreparedTrace,
  type ReplayRunInput,
} from '@oicf/loadgen';
import { formatNumber, formatPercent, formatSeconds } from '@oicf/plot';
import {
  type ComparedRun,
  comparisonReportFiles,
  type ReplaySummary,
  replayReportFiles,
  summarizeReplay,
} from '@oicf/report';
import type { Clock } from '@oicf/transport';
import { writeReportFiles } from '../analyze/write-files.js';
import type { CommandIo } from '../command.js';
import type { ReplayArgs } from './replay-args.js';
import { THIS_MACHINE_PLANE } from './write-report.js';

/**
 * The three ways `oicf replay` runs: against a router given by --url, against one local cluster
 * it launches, or (--compare) against one launched cluster per configuration. Each writes its
 * report(s) under `outDir` and returns the exit code: 0, 130 when interrupted (partial report
 * written), 1 when the target could not be reached or launched.
 */
export interface SessionContext {
  readonly args: ReplayArgs;
  readonly trace: PreparedTrace;
  readonly io: CommandIo;
  readonly clock: Clock;
  readonly outDir: string;
  readonly commandLine: string;
  /** Null with --url. */
  readonly launcher: ClusterLauncher | null;
  /**
   * Tokens per KV block of the clusters replayed against (launched: their config's; --url: the routers'
   * default, since a router does not report it): the reuse ceiling in the report is at this size.
   */
  readonly clusterBlockTokens: number;
}

export async function replayAgainstUrl(ctx: SessionContext, url: string): Promise<number> {
  const { targets, notes, registry } = await discoverScrapeTargets(url, ctx.args.metricsUrls);
  for (const note of notes) ctx.io.stderr(`oicf replay: ${note}\n`);
  const limit = maxContextFromWorkers(registry);
  const fit = limit === undefined ? undefined : contextFit(ctx.trace.requests, limit, ctx.args.tokenScale);
  const verdict = overflowVerdict(fit, overflowPolicy(ctx.args), `router ${url}`);
  if (verdict.kind === 'stop') {
    ctx.io.stderr(`oicf replay: ${verdict.message}`);
    return 2;
  }
  if (verdict.warning !== undefined) ctx.io.stderr(verdict.warning);
  ctx.io.stderr(
    `oicf replay: reuse ceiling at ${ctx.clusterBlockTokens}-token blocks, the router default (a router at --url does not report its block size)\n`,
  );
  let entry: ComparedRun;
  try {
    entry = await runOnce(
      ctx,
      { label: labelFor(ctx.args), routerUrl: url, targetKind: 'url', scrapeTargets: targets },
      {},
    );
  } catch (err) {
    ctx.io.stderr(`oicf replay: ${(err as Error).message}\n`);
    return 1;
  }
  return finishSingle(ctx, entry, ctx.outDir);
}

export async function replayOnLaunchedCluster(ctx: SessionContext, launcher: ClusterLauncher): Promise<number> {
  const runDir = ctx.args.clusterRunDir ?? join(ctx.outDir, 'cluster');
  const outcome = await runOnCluster(ctx, launcher, labelFor(ctx.args), singleOverrides(ctx.args), runDir);
  if (outcome === 'failed') return 1;
  return finishSingle(ctx, outcome, ctx.outDir);
}

export async function replayComparison(ctx: SessionContext, launcher: ClusterLauncher): Promise<number> {
  const spec = ctx.args.compare;
  if (spec === null) throw new Error('replayComparison needs --compare');
  const entries: ComparedRun[] = [];
  const failures: string[] = [];
  for (const value of spec.values) {
    if (ctx.io.signal.aborted) break;
    const label = `${spec.key}=${value}`;
    const dir = join(ctx.outDir, variantSlug(spec.key, value));
    const runDir =
      ctx.args.clusterRunDir === null
        ? join(dir, 'cluster')
        : join(ctx.args.clusterRunDir, variantSlug(spec.key, value));
    const overrides = { ...singleOverrides(ctx.args), ...overridesFor(spec.key, value) };
    const outcome = await runOnCluster(ctx, launcher, label, overrides, runDir);
    if (outcome === 'failed') {
      // Keep going: the other configurations still compare; the exit status says one failed.
      failures.push(label);
      continue;
    }
    entries.push(outcome);
    const paths = writeReportFiles(
      ctx.io.cwd,
      dir,
      replayReportFiles(outcome.run, outcome.summary, THIS_MACHINE_PLANE),
    );
    ctx.io.stdout(`${summaryLine(outcome.summary)}\n  ${paths.join('\n  ')}\n`);
  }
  const interrupted = ctx.io.signal.aborted || entries.some((e) => e.summary.interrupted);
  if (entries.length === 0) {
    ctx.io.stderr('oicf replay: no configuration finished; nothing to compare\n');
    return interrupted ? 130 : 1;
  }
  if (failures.length > 0) ctx.io.stderr(`oicf replay: left out of the comparison (failed): ${failures.join(', ')}\n`);
  const title = `Replay comparison: ${spec.key} (${entries.map((e) => e.summary.label.split('=')[1]).join(' vs ')})`;
  const paths = writeReportFiles(ctx.io.cwd, ctx.outDir, comparisonReportFiles(title, entries, THIS_MACHINE_PLANE));
  ctx.io.stdout(`comparison${interrupted ? ' (partial: interrupted)' : ''}:\n  ${paths.join('\n  ')}\n`);
  return interrupted ? 130 : failures.length > 0 ? 1 : 0;
}

async function runOnCluster(
  ctx: SessionContext,
  launcher: ClusterLauncher,
  label: string,
  overrides: ClusterOverrides,
  runDir: string,
): Promise<ComparedRun | 'failed'> {
  ctx.io.stderr(`oicf replay: launching a local cluster for ${label}\n`);
  let cluster: Awaited<ReturnType<ClusterLauncher['launch']>>;
  try {
    cluster = await launcher.launch(overrides, {
      runDir: resolve(ctx.io.cwd, runDir),
      onProgress: (m) => ctx.io.stderr(`  cluster: ${m}\n`),
      signal: ctx.io.signal,
    });
  } catch (err) {
    ctx.io.stderr(`oicf replay: could not launch the cluster for ${label}: ${(err as Error).message}\n`);
    return 'failed';
  }
  try {
    return await runOnce(
      ctx,
      {
        label,
        routerUrl: cluster.routerUrl,
        targetKind: 'cluster',
        scrapeTargets: [...cluster.scrapeTargets, ...extraTargets(ctx.args)],
      },
      { cluster: cluster.config, overrides },
    );
  } catch (err) {
    ctx.io.stderr(`oicf replay: ${label}: ${(err as Error).message}\n`);
    return 'failed';
  } finally {
    await cluster.stop();
  }
}

async function runOnce(
  ctx: SessionContext,
  target: Pick<ReplayRunInput, 'label' | 'routerUrl' | 'targetKind' | 'scrapeTargets'>,
  extraOptions: Record<string, unknown>,
): Promise<ComparedRun> {
  const { args, trace } = ctx;
  const run = await executeReplay({
    ...target,
    requests: trace.requests,
    loop: trace.loop,
    speed: args.speed,
    tokenScale: args.tokenScale,
    clusterBlockTokens: ctx.clusterBlockTokens,
    concurrencyLimit: args.concurrency,
    model: args.model,
    sessionTtlSeconds: args.sessionTtlSeconds,
    scrapeIntervalSeconds: args.scrapeIntervalSeconds,
    traceFile: args.traceFile,
    commandLine: ctx.commandLine,
    options: {
      window: args.window ?? null,
      tokenScaleMode: args.tokenScaleMode,
      outputTokenScale: args.outputTokenScale,
      slo: args.slo,
      ...extraOptions,
    },
    clock: ctx.clock,
    signal: ctx.io.signal,
    stderr: ctx.io.stderr,
    isTty: ctx.io.isTty,
  });
  return { run, summary: summarizeReplay(run, args.slo) };
}

function finishSingle(ctx: SessionContext, entry: ComparedRun, dir: string): number {
  const paths = writeReportFiles(ctx.io.cwd, dir, replayReportFiles(entry.run, entry.summary, THIS_MACHINE_PLANE));
  if (ctx.args.json) {
    ctx.io.stdout(`${JSON.stringify(entry.summary, null, 2)}\n`);
    ctx.io.stderr(`wrote:\n  ${paths.join('\n  ')}\n`);
  } else {
    ctx.io.stdout(`${summaryLine(entry.summary)}\nwrote:\n  ${paths.join('\n  ')}\n`);
  }
  return entry.summary.interrupted ? 130 : 0;
}

/** Two lines a person reads first: counts, then latency, rates, SLO attainment and prefix hits. */
export function summaryLine(s: ReplaySummary): string {
  const p = (v: number | null | undefined) => (v === null || v === undefined ? 'n/a' : formatSeconds(v));
  const n = (v: number | null) => (v === null ? 'n/a' : formatNumber(v));
  return [
    `${s.label}${s.interrupted ? ' (INTERRUPTED, partial)' : ''}: ${s.byStatus.ok}/${s.numPlanned} ok, ${s.byStatus.rejected} rejected, ${s.byStatus.error} errors, ${s.byStatus.cancelled} cancelled in ${formatSeconds(s.durationSeconds)}`,
    `  TTFT p50 ${p(s.ttft?.p50Seconds)} p99 ${p(s.ttft?.p99Seconds)} · TPOT p50 ${p(s.tpot?.p50Seconds)} p99 ${p(s.tpot?.p99Seconds)} · ${n(s.throughput.requestsPerSecond)} req/s · ${n(s.throughput.outputTokensPerSecond)} tok/s · SLO attainment ${s.goodput.attainment === null ? 'n/a' : formatPercent(s.goodput.attainment)} (goodput ${n(s.goodput.requestsPerSecond)} req/s) · prefix hit ratio ${s.prefix.hitRatio === null ? 'n/a' : formatPercent(s.prefix.hitRatio)}${s.reuseCeiling === null ? '' : ` (ceiling ${formatPercent(s.reuseCeiling.ratio)} at ${s.reuseCeiling.blockTokens}-token blocks)`}`,
  ].join('\n');
}

/** --overflow-limit and --allow-overflow as loadgen's OverflowPolicy. */
export function overflowPolicy(args: ReplayArgs): { maxShare: number; allow: boolean } {
  return { maxShare: args.overflowLimit, allow: args.allowOverflow };
}

function singleOverrides(args: ReplayArgs): ClusterOverrides {
  return {
    ...(args.policy !== null ? { policy: args.policy } : {}),
    ...(args.mode !== null ? { mode: args.mode } : {}),
    ...(args.emulate !== null ? { emulate: args.emulate === EMULATE_NONE ? null : args.emulate } : {}),
  };
}

function labelFor(args: ReplayArgs): string {
  const parts = Object.entries(singleOverrides(args)).map(([k, v]) => `${k}=${v}`);
  if (parts.length > 0) return parts.join(',');
  return args.url !== null ? args.url.replace(/^https?:\/\//, '') : 'local cluster';
}

function extraTargets(args: ReplayArgs) {
  return args.metricsUrls.map((url) => ({ name: url.replace(/^https?:\/\//, '').replace(/\/.*$/, ''), url }));
}
