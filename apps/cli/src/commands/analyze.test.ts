import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODEL_IDS } from '@oicf/core';
import { checkXmlWellFormed } from '@oicf/plot';
import { afterAll, describe, expect, it } from 'vitest';
import { SWEEP_CSV_HEADER } from '../analyze/sweep-output.js';
import { main } from '../main.js';
import { captureIo } from '../testing/capture-io.js';

const dir = mkdtempSync(join(tmpdir(), 'oicf-analyze-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

async function oicf(
  argv: string[],
  options: { signal?: AbortSignal; isTty?: boolean; onStderr?: (t: string) => void } = {},
): Promise<Captured> {
  const io = captureIo(dir, options);
  const code = await main(['analyze', ...argv], io);
  return { code, stdout: io.out(), stderr: io.err() };
}

const llama70bPoint = ['--model', 'llama-3.1-70b', '--device', 'h100', '--precision', 'bf16', '--convention', 'paper'];

describe('oicf analyze: point query --json', () => {
  it('matches hand derivations for Llama-3.1-70B bf16 decode at 4,096 tokens, batch 1', async () => {
    const { code, stdout } = await oicf([...llama70bPoint, '--context', '4096', '--json', '--no-files']);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    // KV per token: 2 (K and V) · 80 layers · 8 KV heads · 128 dims · 2 bytes = 327,680 (DESIGN.md public fact).
    expect(json.kvBytesPerToken).toBe(327_680);
    // Matmul MACs per token: qkv 8192·(8192 + 2·1024)·80 = 6,710,886,400; out 8192²·80 = 5,368,709,120;
    // FFN 3·8192·28672·80 = 56,371,445,760; lm_head 8192·128256 = 1,050,673,152 → 69,501,714,432 MACs,
    // 139,003,428,864 FLOPs. Attention: QKᵀ and PV, 2·2·64 heads·128·80 layers over 4,096 + 1 keys
    // = 10,740,039,680. Total 149,743,468,544.
    expect(json.flops).toBe(149_743_468_544);
    // Paper convention = weights + KV only. Weights read: every parameter but the embedding table
    // (70,553,706,496 − 1,050,673,152) · 2 B = 139,006,066,688; KV read 4,096 · 327,680 = 1,342,177,280;
    // KV write of the new token 327,680. Total 140,348,571,648.
    expect(json.bytes).toBe(140_348_571_648);
    expect(json.bytesBreakdown).toEqual({
      weightBytes: 139_006_066_688,
      kvReadBytes: 1_342_177_280,
      kvWriteBytes: 327_680,
      activationBytes: 0,
      totalBytes: 140_348_571_648,
    });
    expect(json.operationalIntensity).toBeCloseTo(149_743_468_544 / 140_348_571_648, 12);
    expect(json.operationalIntensityFlopsPerByte).toBe(json.operationalIntensity);
    // CF at batch 1: all weights (70,553,706,496 · 2 B = 141,107,412,992) + KV of 4,097 tokens (the new
    // one included) = 141,107,412,992 + 1,342,504,960 = 142,449,917,952.
    expect(json.capacityFootprintBytes).toBe(142_449_917_952);
    // 142 GB > 80 GB and OI ≈ 1.07 < ridge 989.4e12 / 3.35e12 = 295.34.
    expect(json.regime).toBe('capacity-and-bandwidth-bound');
    expect(json.ridgeFlopsPerByte).toBeCloseTo(295.343, 3);
    expect(json.fits).toBe(false);
    expect(json.convention).toBe('paper');
    expect(json.conventionSummary).toMatch(/^paper — bytes: weights \+ KV only/);
    // Per-operator rows add up to the whole.
    const ops = json.operators as Array<{ operator: string; flops: number; bytes: number }>;
    expect(ops.map((o) => o.operator)).toEqual([
      'qkv_proj',
      'attention_score',
      'attention_value',
      'out_proj',
      'norm',
      'ffn',
      'lm_head',
    ]);
    expect(ops.reduce((s, o) => s + o.flops, 0)).toBe(json.flops);
    expect(ops.reduce((s, o) => s + o.bytes, 0)).toBe(json.bytes);
    // QKᵀ: 2 · 8192 · 4,097 · 80 = 5,370,019,840 FLOPs over half the KV read, 671,088,640 B.
    expect(ops[1]).toMatchObject({ flops: 5_370_019_840, bytes: 671_088_640, kvReadBytes: 671_088_640 });
  });

  it('approaches the GQA limit 2·(64/8)/2 = 8 FLOP/byte as context and batch grow', async () => {
    const { stdout } = await oicf([
      ...llama70bPoint,
      '--context',
      '100000',
      '--batch',
      '16',
      '--tp',
      '8',
      '--json',
      '--no-files',
    ]);
    const json = JSON.parse(stdout);
    // FLOPs: 16 · (139,003,428,864 + 2,621,440 · 100,001) = 6,418,400,804,864.
    // Bytes: 139,006,066,688 weights + 16 · 327,680 · (100,000 read + 1 written) = 663,299,309,568.
    expect(json.flops).toBe(6_418_400_804_864);
    expect(json.bytes).toBe(663_299_309_568);
    // 6,418,400,804,864 / 663,299,309,568 = 9.6765: above 8 only by the weights' FLOPs still amortised over 16.
    expect(json.operationalIntensity).toBeCloseTo(9.6765, 3);
    expect(json.numDevices).toBe(8);
    // 141.1 GB of weights plus 16 · 100,001 · 327,680 B = 524.3 GB of KV is 665.4 GB > 8 × 80 GB: over the wall.
    expect(json.residentBytes).toBe(141_107_412_992 + 524_293_242_880);
    expect(json.capacityBytes).toBe(640e9);
    expect(json.regime).toBe('capacity-and-bandwidth-bound');
  });

  it.each([
    [['--kv-precision', 'fp8'], 'kvBytesPerToken', 163_840],
    // Prefill of 4,096 tokens on 8 GPUs: ~4,096 FLOPs per weight byte, far above the ridge.
    [['--phase', 'prefill', '--prompt', '4096', '--tp', '8'], 'regime', 'compute-bound'],
    [['--tp', '8'], 'regime', 'bandwidth-bound'],
    [['--batch', '4'], 'batch', 4],
  ])('%j → %s = %j', async (extra, field, value) => {
    const { stdout } = await oicf([...llama70bPoint, ...extra, '--json', '--no-files']);
    expect(JSON.parse(stdout)[field]).toEqual(value);
  });
});

describe('oicf analyze: point query table and files', () => {
  it('prints the summary and per-operator tables, naming the convention, and writes SVG + HTML', async () => {
    const { code, stdout } = await oicf([...llama70bPoint, '--tp', '8', '--batch', '8', '--out', 'point-out']);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(
      'Llama-3.1-70B on 8 × NVIDIA H100 SXM: decode at 4,096 tokens of context, batch 8, bf16 (weights bf16, KV bf16, math bf16)',
    );
    expect(lines[1]).toMatch(/^convention: paper — /);
    expect(stdout).toMatch(/^KV per token +327,680 B \(320 KiB\)$/m);
    expect(stdout).toMatch(/^regime +bandwidth-bound$/m);
    expect(stdout).toMatch(/^qkv_proj +80 /m);
    for (const name of ['oicf-plane.svg', 'roofline.svg', 'analyze.html']) {
      expect(stdout).toContain(`  point-out/${name}\n`);
      expect(existsSync(join(dir, 'point-out', name))).toBe(true);
    }
    const plane = readFileSync(join(dir, 'point-out', 'oicf-plane.svg'), 'utf8');
    expect(checkXmlWellFormed(plane).ok).toBe(true);
    // Four workflows × 30 decode turns, plus the query's own point.
    expect(plane.match(/data-kind="workflow-point"/g)).toHaveLength(121);
    expect(plane).toContain('class="ridge-line" data-device="h100 ×8"');
    expect(plane).toContain('class="capacity-line" data-device="h100 ×8" data-capacity-wall-bytes="80000000000"');
    expect(plane).toContain('paper convention');
    const html = readFileSync(join(dir, 'point-out', 'analyze.html'), 'utf8');
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('Convention: paper — bytes: weights + KV only');
    expect(html).toContain('<h2>Per operator (whole model, whole batch, one step)</h2>');
  });

  it('prints per-operator CSV for a point, paths on stderr', async () => {
    const { stdout, stderr } = await oicf([...llama70bPoint, '--csv', '--out', 'csv-out']);
    const [header, ...rows] = stdout.trimEnd().split('\n');
    expect(header).toBe(
      'convention,model,device,precision,phase,batch,operator,numLayers,flops,weightBytes,kvReadBytes,kvWriteBytes,activationBytes,totalBytes,operationalIntensityFlopsPerByte',
    );
    // qkv_proj of one decode token: 2 · 8192 · (64 + 8 + 8 heads) · 128 = 167,772,160 FLOPs × 80 layers.
    expect(rows[0]).toMatch(/^paper,llama-3.1-70b,h100,bf16,decode,1,qkv_proj,80,13421772800,/);
    expect(stderr).toContain('csv-out/analyze.html');
  });
});

describe('oicf analyze: errors exit 2 with a clear message', () => {
  it.each([
    [['--model', 'gpt-9', '--device', 'h100'], `unknown model 'gpt-9'; valid: ${MODEL_IDS.join(', ')}`],
    [['--model', 'llama-3-8b', '--device', 'h100', '--batch', 'x'], "--batch must be an integer ≥ 1, got 'x'"],
    [['--workflow', 'nope'], "unknown workflow 'nope'; valid: chat, coding, web-use, computer-use"],
    [['--model', 'llama-3-8b', '--device', 'h100', '--kv-tier', 'tape'], "unknown tier 'tape'; valid: "],
  ])('%j', async (argv, message) => {
    const { code, stdout, stderr } = await oicf([...argv, '--no-files']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^oicf analyze: /);
    if (typeof message === 'string') expect(stderr).toContain(message);
    else expect(stderr).toMatch(message);
    expect(stderr).toContain("Run 'oicf analyze --help' for usage.");
  });
});

describe('oicf analyze: sweeps', () => {
  const small = [
    '--workflow',
    'chat',
    '--model',
    'llama-3-8b',
    '--device',
    'h100',
    '--precision',
    'bf16',
    '--turns',
    '3',
  ];

  it('CSV: a header, then prefill and decode rows per turn, each naming the convention', async () => {
    const { code, stdout } = await oicf([...small, '--csv', '--no-files']);
    expect(code).toBe(0);
    const [header, ...rows] = stdout.trimEnd().split('\n');
    expect(header).toBe(SWEEP_CSV_HEADER.join(','));
    expect(header?.split(',')).toHaveLength(21);
    // 3 turns × (prefill, decode).
    expect(rows).toHaveLength(6);
    const cells = rows.map((r) => r.split(','));
    expect(cells.map((c) => [c[0], c[1], c[2], c[3], c[4], c[5], c[6]])).toEqual(
      [0, 0, 1, 1, 2, 2].map((turn, i) => [
        'oicf',
        'chat',
        'llama-3-8b',
        'h100',
        'bf16',
        String(turn),
        i % 2 === 0 ? 'prefill' : 'decode',
      ]),
    );
    // Prefill runs at batch 1; OI = flops / totalBytes in every row.
    expect(cells[0]?.[7]).toBe('1');
    for (const c of cells) expect(Number(c[13])).toBeCloseTo(Number(c[11]) / Number(c[12]), 9);
  });

  it('JSON: rows and one summary per trajectory, with the convention', async () => {
    const { stdout } = await oicf([...small, '--precision', 'fp8', '--json', '--no-files']);
    const json = JSON.parse(stdout);
    expect(json.convention).toBe('oicf');
    expect(json.numTrajectories).toBe(2);
    expect(json.rows).toHaveLength(12);
    expect(json.summaries.map((s: { precisionId: string }) => s.precisionId)).toEqual(['bf16', 'fp8']);
    expect(json.interrupted).toBe(false);
    // The field names on every row, as on a point query.
    for (const r of json.rows) {
      expect(r.bytes).toBe(r.totalBytes);
      expect(r.operationalIntensity).toBeCloseTo(r.flops / r.bytes, 9);
      expect(typeof r.capacityFootprintBytes).toBe('number');
      expect(['compute-bound', 'bandwidth-bound', 'capacity-bound', 'capacity-and-bandwidth-bound']).toContain(
        r.regime,
      );
    }
  });

  it('table + files: one line per trajectory, pictures with the ridge and wall', async () => {
    const { code, stdout } = await oicf([...small, '--device', 'mi300x', '--decode-batch', '16', '--out', 'sweep-out']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^oicf analyze sweep: 2 of 2 trajectories .*decode batch 16, 12 rows$/m);
    expect(stdout).toMatch(/^convention: oicf — /m);
    expect(stdout).toMatch(/^chat +llama-3-8b +h100 +bf16 +1 +3 /m);
    expect(stdout).toMatch(/^chat +llama-3-8b +mi300x +bf16 +1 +3 /m);
    const plane = readFileSync(join(dir, 'sweep-out', 'oicf-plane.svg'), 'utf8');
    expect(plane.match(/data-kind="workflow-point"/g)).toHaveLength(3);
    expect(plane.match(/class="ridge-line"/g)).toHaveLength(2);
    // Wall at decode batch 16: 80e9 / 16 = 5e9 B for one H100.
    expect(plane).toContain('data-capacity-wall-bytes="5000000000"');
  });

  it('the default sweep covers 4 workflows × ≥6 models × ≥6 devices × 3 precisions, 30 turns', async () => {
    const { code, stdout } = await oicf(['--csv', '--no-files']);
    expect(code).toBe(0);
    const rows = stdout
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((r) => r.split(','));
    const distinct = (i: number) => new Set(rows.map((r) => r[i])).size;
    expect(distinct(1)).toBe(4);
    expect(distinct(2)).toBeGreaterThanOrEqual(6);
    expect(distinct(3)).toBeGreaterThanOrEqual(6);
    expect(distinct(4)).toBe(3);
    expect(distinct(5)).toBe(30);
    expect(rows).toHaveLength(4 * distinct(2) * distinct(3) * 3 * 30 * 2);
  });

  it('stops between trajectories on abort and reports partial output (exit 130)', async () => {
    const controller = new AbortController();
    const { code, stdout, stderr } = await oicf(
      [...small, '--device', 'h200', '--precision', 'fp8', '--csv', '--no-files'],
      {
        signal: controller.signal,
        isTty: true,
        onStderr: (t) => {
          if (t.includes(' 2/4 ')) controller.abort();
        },
      },
    );
    expect(code).toBe(130);
    expect(stderr).toContain('interrupted after 2 of 4 trajectories; output is partial');
    // Two trajectories of 3 turns × 2 phases, plus the header.
    expect(stdout.trimEnd().split('\n')).toHaveLength(13);
  });
});
