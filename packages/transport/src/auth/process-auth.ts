// The credentials of this process (one per process: the service it runs), installed once at startup by the
// app's main from `OICF_CLUSTER_AUTH_FILE` (written by the launcher, mode 0600), and read by every gRPC and
// WebSocket client and server of the transport: clients attach a fresh member token, servers refuse calls
// without a valid one. None installed = auth off (a service started by hand on loopback, unit tests).
import { readFileSync, statSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { OicfError } from '../oicf-error.js';
import { type ClusterCredentials, credentialsFromJson } from './cluster-keys.js';
import { bearerToken, mintMemberToken, type TokenCheck, verifyMemberToken } from './member-token.js';

export const CLUSTER_AUTH_FILE_ENV = 'OICF_CLUSTER_AUTH_FILE';

let current: ClusterCredentials | undefined;

/** Installs (or with undefined, removes) this process's credentials. */
export function setClusterCredentials(credentials: ClusterCredentials | undefined): void {
  current = credentials;
}

export function clusterCredentials(): ClusterCredentials | undefined {
  return current;
}

/**
 * Reads `OICF_CLUSTER_AUTH_FILE` (when set) and installs its credentials; returns them, or undefined when
 * the variable is unset. A file others can read is refused: it holds the keys to the cluster.
 */
export function loadClusterCredentialsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): ClusterCredentials | undefined {
  const file = env[CLUSTER_AUTH_FILE_ENV];
  if (file === undefined || file === '') return undefined;
  let text: string;
  try {
    if ((statSync(file).mode & 0o077) !== 0) {
      throw new OicfError(
        'INVALID_ARGUMENT',
        `${CLUSTER_AUTH_FILE_ENV}=${file} is readable by group or others: chmod 600 it (it holds the cluster's keys)`,
      );
    }
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof OicfError) throw err;
    throw new OicfError('INVALID_ARGUMENT', `cannot read ${CLUSTER_AUTH_FILE_ENV}=${file}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new OicfError('INVALID_ARGUMENT', `${file} is not JSON: ${(err as Error).message}`);
  }
  const credentials = credentialsFromJson(json, file);
  setClusterCredentials(credentials);
  return credentials;
}

/** `authorization: Bearer <fresh token>` for an internal call, or {} when no credentials are installed. */
export function clusterAuthHeaders(credentials = current): Record<string, string> {
  return credentials === undefined ? {} : { authorization: `Bearer ${mintMemberToken(credentials)}` };
}

/** Who called, as a server saw it (undefined when auth is off). */
export interface CallerIdentity {
  readonly memberId: string;
  /** True when the caller proved this id (its identity MAC), not only membership. */
  readonly identityVerified: boolean;
}

export type MemberCheck =
  | { readonly ok: true; readonly caller: CallerIdentity | undefined }
  | { readonly ok: false; readonly error: OicfError };

/**
 * Checks an internal call's `authorization` value against this process's credentials. Auth off → ok with no
 * caller. `plane` names where, for the message.
 */
export function checkMember(
  header: string | readonly string[] | undefined,
  plane: string,
  credentials = current,
): MemberCheck {
  if (credentials === undefined) return { ok: true, caller: undefined };
  const token = bearerToken(header);
  if (token === undefined) {
    return {
      ok: false,
      error: new OicfError(
        'UNAUTHENTICATED',
        `${plane} is for cluster members only: send "authorization: Bearer <member token>" (start the service with ${CLUSTER_AUTH_FILE_ENV}, as oicf cluster up does)`,
      ),
    };
  }
  const check: TokenCheck = verifyMemberToken(token, credentials);
  if (!check.ok) return { ok: false, error: new OicfError('UNAUTHENTICATED', `${plane}: ${check.reason}`) };
  return { ok: true, caller: { memberId: check.memberId, identityVerified: check.identityVerified } };
}

/** checkMember for an HTTP upgrade request's headers. */
export function checkMemberHeaders(headers: IncomingHttpHeaders, plane: string): MemberCheck {
  return checkMember(headers.authorization, plane);
}
