// Types of build-services.mjs for the TypeScript code that imports it (the cluster launcher, tests).
import type { BuildOptions } from 'esbuild';

export declare const REPO_ROOT: string;
export declare const SERVICE_ENTRIES: Readonly<
  Record<'router' | 'prefill-worker' | 'decode-worker' | 'kv-pool', string>
>;
export type ServiceApp = keyof typeof SERVICE_ENTRIES;
export declare function servicesDir(root?: string): string;
export declare function serviceBundle(app: ServiceApp, root?: string): string;
export declare function checkServicesBuild(root?: string): { fresh: true } | { fresh: false; reason: string };
export declare function serviceBuildOptions(
  outDir: string,
  entries?: Readonly<Record<string, string>>,
  root?: string,
  finalDir?: string,
): BuildOptions & { metafile: true };
export declare function buildBundles<K extends string>(
  entries: Readonly<Record<K, string>>,
  outDir: string,
  root?: string,
): Promise<Record<K, string>>;
export declare function buildServices(root?: string): Promise<{ numInputs: number }>;
export declare function ensureServicesBuilt(
  root?: string,
  log?: (line: string) => void,
): Promise<{ built: false } | { built: true; reason: string }>;
