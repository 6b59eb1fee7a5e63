import { join } from 'node:path';
import type { Command, CommandIo } from '../command.js';
import { analyzeCommand } from './analyze.js';

const USAGE = `Usage: oicf demo [--out <dir>] [--skip-cluster]

The end-to-end tour on built-in defaults:
  1. analysis: agent-workflow trajectories (coding sessions growing to ~10^5 tokens) for three
     models on three devices, with the OI–CF plane and roofline written as SVG + HTML;
  2. serving: launches a local disaggregated cluster (router, 2 prefill workers, 2 decode workers,
     a tiered KV pool, all separate processes), sends agent-style requests, prints tokens, TTFT,
     prefix hits and where KV went, then stops it.

Options:
  --out <dir>       where reports go (default out/demo)
  --skip-cluster    run the analysis only
`;

export const demoCommand: Command = {
  name: 'demo',
  summary: 'End-to-end tour: analysis sweep with pictures, then a live local cluster',
  usage: USAGE,
  async run(argv: string[], io: CommandIo): Promise<number> {
    const outIdx = argv.indexOf('--out');
    const outDir = outIdx >= 0 && argv[outIdx + 1] ? (argv[outIdx + 1] as string) : join('out', 'demo');
    io.stdout('── 1. Analysis: where agentic inference hurts (OI and CF per turn) ──\n\n');
    const code = await analyzeCommand.run(
      [
        '--workflow',
        'coding,computer-use',
        '--model',
        'llama-3.1-70b,deepseek-v3,llama-3-8b',
        '--device',
        'h100,b200,lpddr-decode',
        '--precision',
        'bf16',
        '--out',
        join(outDir, 'analyze'),
      ],
      io,
    );
    if (code !== 0 || argv.includes('--skip-cluster')) return code;
    const { runClusterDemo } = await import('../demo/cluster-tour.js');
    io.stdout('\n── 2. Serving: a local disaggregated cluster running the real kernels ──\n\n');
    return runClusterDemo(io, join(outDir, 'cluster'));
  },
};
