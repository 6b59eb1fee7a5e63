// The router's API keys from its config (api.keys plus api.keysFile, one key per line; blank lines and
// `#` comments skipped), and the startup rule for a router without keys on a non-loopback host.
import { readFileSync } from 'node:fs';
import { isLoopbackHost } from '@oicf/transport';
import type { RouterConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { ApiAuth } from './api-auth.js';

export function apiAuthFromConfig(config: RouterConfig, log: Logger): ApiAuth {
  const keys = [...config.api.keys];
  if (config.api.keysFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(config.api.keysFile, 'utf8');
    } catch (err) {
      throw new Error(`api.keysFile ${config.api.keysFile}: ${(err as Error).message}`);
    }
    for (const line of text.split('\n').map((l) => l.trim())) {
      if (line === '' || line.startsWith('#')) continue;
      if (line.length < 16) throw new Error(`api.keysFile ${config.api.keysFile}: a key has fewer than 16 characters`);
      keys.push(line);
    }
  }
  const loopback = isLoopbackHost(config.host);
  if (keys.length === 0 && !loopback) {
    if (config.api.requireKeys) {
      throw new Error(`api.requireKeys: the router binds ${config.host} (not loopback) but no api.keys are set`);
    }
    log.warn('public_api_unauthenticated', {
      host: config.host,
      message: `the public API on ${config.host} takes requests from anyone: set api.keys (or api.keysFile); the admin routes /v1/oicf/* refuse everyone until then`,
    });
  }
  return new ApiAuth({ keys, maxInFlightPerClient: config.api.maxInFlightPerClient, adminOpenWithoutKeys: loopback });
}
