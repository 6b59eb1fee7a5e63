import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Initializer } from '../onnx/graph.js';
import type { ExternalData, ExternalPlace } from '../onnx/onnx-codec.js';

/**
 * The weight bytes of one SessionCache's models, each written once to an external-data file that every session of
 * that model reads (ONNX external data; see ExternalData in onnx-codec.ts), instead of a copy inside each session's
 * ModelProto. onnxruntime's CPU provider memory-maps external initializers (its model_saving_options.h: offsets
 * aligned to the mapping granularity, 4 KiB on Linux and 64 KiB on Windows), so a session neither parses nor copies
 * the weight bytes. Weights a kernel prepacks (MatMul/Gemm B) still get a packed copy per session, unless prepacking
 * is off (SessionSettings.prepackWeights); the rest (embedding, RoPE tables, norm gains) stay one shared mapping.
 *
 *   <parent>/oicf-weights-<pid>-XXXXXX/      one folder per WeightsFile (mkdtemp), removed by close()
 *     w0.bin, w1.bin, …                       one file per model config (`fileFor`)
 *       [tensor a][pad][tensor b][pad]…       each tensor at a multiple of ALIGN_BYTES, written when first placed
 *
 * Only `weight` and `table` initializers go to the file (`const` ones are a few bytes, embedded). A tensor is placed
 * once per identity of its bytes (the same ArrayBuffer range): the WeightStore hands every graph the same arrays.
 *
 * A process killed before close() leaves its folder behind; the next WeightsFile created in the same parent removes
 * every `oicf-weights-<pid>-*` folder whose process is gone (each start uses a fresh mkdtemp name, so a stale folder
 * never stands in its way).
 */
export class WeightsFile {
  /** The folder onnxruntime resolves the files' names against (session.model_external_initializers_file_folder_path). */
  readonly dir: string;
  private readonly files = new Map<string, ModelFile>();
  private closed = false;

  constructor(parent: string) {
    removeStaleFolders(parent);
    this.dir = mkdtempSync(join(parent, `${FOLDER_PREFIX}${process.pid}-`));
    ownFolders.add(this.dir);
  }

  /** The external data of the model `key` (a config key): its file is created on first use. */
  fileFor(key: string): ExternalData {
    if (this.closed) throw new Error('WeightsFile is closed');
    let f = this.files.get(key);
    if (f === undefined) {
      const location = `w${this.files.size}.bin`;
      f = new ModelFile(location, openSync(join(this.dir, location), 'w'));
      this.files.set(key, f);
    }
    return f;
  }

  /** Bytes written to the files so far (padding included). */
  get fileBytes(): number {
    let n = 0;
    for (const f of this.files.values()) n += f.size;
    return n;
  }

  /**
   * Closes and removes the files. Call after every session that maps them is released (a session keeps its mapping
   * of a removed file, but a new session would not find it).
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const f of this.files.values()) closeSync(f.fd);
    this.files.clear();
    rmSync(this.dir, { recursive: true, force: true });
    ownFolders.delete(this.dir);
  }
}

/** Tensor offsets are multiples of this: 64 KiB, the mapping granularity on every OS onnxruntime runs on. */
export const ALIGN_BYTES = 65_536;
const FOLDER_PREFIX = 'oicf-weights-';
/** Folders of live WeightsFiles of this process (a stale folder can carry this pid from an earlier process). */
const ownFolders = new Set<string>();

class ModelFile implements ExternalData {
  size = 0;
  private readonly placed = new Map<ArrayBufferLike, Map<string, ExternalPlace>>();

  constructor(
    readonly location: string,
    readonly fd: number,
  ) {}

  place(t: Initializer): ExternalPlace | undefined {
    if (t.role === 'const') return undefined;
    let byRange = this.placed.get(t.data.buffer);
    if (byRange === undefined) {
      byRange = new Map();
      this.placed.set(t.data.buffer, byRange);
    }
    const range = `${t.data.byteOffset}:${t.data.byteLength}`;
    let p = byRange.get(range);
    if (p === undefined) {
      const offset = Math.ceil(this.size / ALIGN_BYTES) * ALIGN_BYTES;
      let written = 0;
      while (written < t.data.byteLength) {
        written += writeSync(this.fd, t.data, written, t.data.byteLength - written, offset + written);
      }
      this.size = offset + t.data.byteLength;
      p = { offset, length: t.data.byteLength };
      byRange.set(range, p);
    }
    return p;
  }
}

/** Removes `oicf-weights-<pid>-*` folders under `parent` whose process no longer runs. */
function removeStaleFolders(parent: string): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return; // mkdtemp below reports a missing or unreadable parent
  }
  for (const name of names) {
    const m = /^oicf-weights-(\d+)-/.exec(name);
    if (m === null) continue;
    const pid = Number(m[1]);
    const path = join(parent, name);
    const stale = pid === process.pid ? !ownFolders.has(path) : !processRuns(pid);
    if (stale) rmSync(path, { recursive: true, force: true });
  }
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
