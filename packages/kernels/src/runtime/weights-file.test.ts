import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { microConfig } from '../model/presets.js';
import { attr } from '../onnx/graph.js';
import { GraphBuilder } from '../onnx/graph-builder.js';
import { encodeModel } from '../onnx/onnx-codec.js';
import { KernelRunner } from './kernel-runner.js';
import { ALIGN_BYTES, WeightsFile } from './weights-file.js';

const parents: string[] = [];
function parentDir(): string {
  const p = mkdtempSync(join(tmpdir(), 'oicf-weights-test-'));
  parents.push(p);
  return p;
}
afterAll(() => {
  for (const p of parents) rmSync(p, { recursive: true, force: true });
});

/** x[rows, 64] · W[64, 48] + b, Relu, · W2[48, 8]: two weights (12 KiB and 1.5 KiB) and a bias. */
function smallGraph() {
  const b = new GraphBuilder('small');
  const x = b.input('x', 'float32', ['rows', 64]);
  const fill = (n: number, salt: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + salt) / 8);
  const w1 = b.initializer('w1', 'float32', [64, 48], fill(64 * 48, 1));
  const bias = b.initializer('bias', 'float32', [48], fill(48, 2));
  const w2 = b.initializer('w2', 'float32', [48, 8], fill(48 * 8, 3));
  const h = b.op1('Relu', [b.op1('Add', [b.op1('MatMul', [x, w1]), bias])]);
  const y = b.op1('MatMul', [h, w2]);
  b.outputAs(b.op1('Softmax', [y], { attrs: { axis: attr.int(-1) } }), 'out', 'float32', ['rows', 8]);
  return b.build();
}

const sessionOptions = (extra: Record<string, string> = {}): ort.InferenceSession.SessionOptions => ({
  intraOpNumThreads: 1,
  graphOptimizationLevel: 'all',
  extra: { session: { disable_prepacking: '1', ...extra } },
});

describe('WeightsFile', () => {
  it('gives onnxruntime the same weights as the embedded model: bit-identical outputs', async () => {
    const g = smallGraph();
    const file = new WeightsFile(parentDir());
    const external = file.fileFor('small');
    const x = new ort.Tensor(
      'float32',
      Float32Array.from({ length: 5 * 64 }, (_, i) => Math.cos(i) * 2),
      [5, 64],
    );
    // Same options on both sides (prepacking off): only where the weight bytes come from differs.
    const embedded = await ort.InferenceSession.create(encodeModel(g), sessionOptions());
    const mapped = await ort.InferenceSession.create(
      encodeModel(g, external),
      sessionOptions({ model_external_initializers_file_folder_path: file.dir }),
    );
    const a = (await embedded.run({ x })).out?.data as Float32Array;
    const b = (await mapped.run({ x })).out?.data as Float32Array;
    expect(a.length).toBe(40);
    expect(
      Buffer.from(b.buffer, b.byteOffset, b.byteLength).equals(Buffer.from(a.buffer, a.byteOffset, a.byteLength)),
    ).toBe(true);
    await embedded.release();
    await mapped.release();
    file.close();
  });

  it('writes each weight once, at 64 KiB offsets, and keeps small constants embedded', () => {
    const g = smallGraph();
    const file = new WeightsFile(parentDir());
    const external = file.fileFor('small');
    const places = g.initializers.map((t) => external.place(t));
    // The builder marks every initializer given data as a weight (role 'weight'): w1, bias and w2, in that order.
    expect(places.map((p) => p?.offset)).toEqual([0, ALIGN_BYTES, 2 * ALIGN_BYTES]);
    expect(places.map((p) => p?.length)).toEqual([64 * 48 * 4, 48 * 4, 48 * 8 * 4]);
    // Placing the same arrays again (a second graph of the same model) writes nothing new.
    expect(g.initializers.map((t) => external.place(t)?.offset)).toEqual([0, ALIGN_BYTES, 2 * ALIGN_BYTES]);
    expect(file.fileBytes).toBe(2 * ALIGN_BYTES + 48 * 8 * 4);
    expect(statSync(join(file.dir, 'w0.bin')).size).toBe(2 * ALIGN_BYTES + 48 * 8 * 4);
    // w2's bytes sit at its offset.
    const onDisk = readFileSync(join(file.dir, 'w0.bin')).subarray(2 * ALIGN_BYTES);
    const w2 = g.initializers[2]?.data ?? new Uint8Array();
    expect(Buffer.from(w2).equals(onDisk)).toBe(true);
    // A const initializer stays in the ModelProto.
    expect(external.place({ name: 'k', dtype: 'int64', dims: [1], data: new Uint8Array(8), role: 'const' })).toBe(
      undefined,
    );
    file.close();
  });

  it('removes its folder on close', () => {
    const parent = parentDir();
    const file = new WeightsFile(parent);
    const w1 = smallGraph().initializers[0];
    if (w1 === undefined) throw new Error('no initializer');
    file.fileFor('a').place(w1);
    expect(readdirSync(parent)).toEqual([file.dir.slice(parent.length + 1)]);
    file.close();
    expect(readdirSync(parent)).toEqual([]);
    expect(() => file.fileFor('a')).toThrow(/closed/);
  });

  it('a start after a SIGKILL works and removes the killed process folder', async () => {
    const parent = parentDir();
    const url = new URL('./weights-file.ts', import.meta.url).href;
    // A child process creates a weights file and is killed before it can close it.
    const script = `import { WeightsFile } from '${url}';
      const f = new WeightsFile(${JSON.stringify(parent)});
      f.fileFor('m').place({ name: 'w', dtype: 'float32', dims: [4], data: new Uint8Array(16), role: 'weight' });
      process.stdout.write('ready\\n');
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited early (${code})`)));
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    const stale = readdirSync(parent);
    expect(stale).toEqual([expect.stringMatching(new RegExp(`^oicf-weights-${child.pid}-`))]);
    // A folder that carries this process's pid but that no live WeightsFile made is stale too.
    mkdirSync(join(parent, `oicf-weights-${process.pid}-old`));

    const runner = new KernelRunner({
      config: microConfig('gqa', { seed: 1, maxPositions: 32 }),
      intraOpNumThreads: 1,
      weights: 'file',
      weightsDir: parent,
    });
    const out = await runner.prefill('s', [1, 2, 3]);
    expect(out.logits.every(Number.isFinite)).toBe(true);
    const live = readdirSync(parent);
    expect(live).toHaveLength(1);
    expect(live[0]).toMatch(new RegExp(`^oicf-weights-${process.pid}-`));
    expect(live[0]).not.toBe(`oicf-weights-${process.pid}-old`);
    await runner.close();
    expect(readdirSync(parent)).toEqual([]);
  });
});

describe('KernelRunner weights placement', () => {
  it('file and embedded weights give the same logits to fp32 rounding', async () => {
    const config = microConfig('gqa', { seed: 3, maxPositions: 64 });
    const parent = parentDir();
    const file = new KernelRunner({ config, intraOpNumThreads: 1, weights: 'file', weightsDir: parent });
    const embedded = new KernelRunner({ config, intraOpNumThreads: 1, weights: 'embedded', weightsDir: parent });
    const prompt = [256, 10, 20, 30, 40, 50, 60];
    const a = await file.prefill('s', prompt);
    const b = await embedded.prefill('s', prompt);
    const da = await file.decodeStep(['s'], [7]);
    const db = await embedded.decodeStep(['s'], [7]);
    // Prepacked and unpacked GEMMs may sum in another order: fp32 rounding, far below a wrong weight (≫ 1e-2).
    let worst = 0;
    for (const [x, y] of [
      [a.logits, b.logits],
      [da.logits, db.logits],
    ] as const) {
      for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs((x[i] ?? 0) - (y[i] ?? 0)));
    }
    expect(worst).toBeLessThan(1e-4);
    // Only the file runner wrote a weights folder.
    expect(readdirSync(parent)).toHaveLength(1);
    await file.close();
    await embedded.close();
    expect(readdirSync(parent)).toEqual([]);
  });
});
