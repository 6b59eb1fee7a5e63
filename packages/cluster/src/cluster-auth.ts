// The cluster secret of a launched cluster (docs/reliability.md, "trust model"): `cluster up` generates 32
// random bytes into <runDir>/cluster-secret and gives each service only what it needs, in its own
// credentials file <runDir>/auth/<service>.json (both mode 0600), named by OICF_CLUSTER_AUTH_FILE in its
// environment: every member gets the member key, its identity key and the block key; the router also gets
// the root secret (it checks workers' identities at registration). The CLI mints its own tokens from the
// root secret (`cli` identity) to read a cluster it launched.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CLUSTER_AUTH_FILE_ENV,
  type ClusterCredentials,
  credentialsFor,
  credentialsToJson,
  generateClusterSecret,
} from '@oicf/transport';

export const CLUSTER_SECRET_FILE = 'cluster-secret';

/** Where a service's credentials file lives. */
export function credentialsFile(runDir: string, serviceName: string): string {
  return join(runDir, 'auth', `${serviceName}.json`);
}

function writePrivate(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600); // an existing file keeps its old mode under writeFileSync
}

/** Generates a fresh root secret for a new cluster in `runDir` (replacing any older one). */
export function createClusterSecret(runDir: string): Buffer {
  const secret = generateClusterSecret();
  mkdirSync(join(runDir, 'auth'), { recursive: true, mode: 0o700 });
  writePrivate(join(runDir, CLUSTER_SECRET_FILE), `${secret.toString('hex')}\n`);
  return secret;
}

/** The root secret of the cluster launched from `runDir` (undefined when it has none). */
export function readClusterSecret(runDir: string): Buffer | undefined {
  const file = join(runDir, CLUSTER_SECRET_FILE);
  if (!existsSync(file)) return undefined;
  const hex = readFileSync(file, 'utf8').trim();
  return /^[0-9a-f]{64}$/.test(hex) ? Buffer.from(hex, 'hex') : undefined;
}

/** Writes service `name`'s credentials file and returns the environment that points the service to it. */
export function serviceAuthEnv(runDir: string, secret: Buffer, name: string): Record<string, string> {
  const credentials = credentialsFor(secret, name, name === 'router');
  const file = credentialsFile(runDir, name);
  writePrivate(file, `${JSON.stringify(credentialsToJson(credentials))}\n`);
  return { [CLUSTER_AUTH_FILE_ENV]: file };
}

/** Credentials for the CLI reading a cluster it launched (identity "cli"), or undefined without a secret. */
export function cliCredentials(runDir: string): ClusterCredentials | undefined {
  const secret = readClusterSecret(runDir);
  return secret === undefined ? undefined : credentialsFor(secret, 'cli');
}
