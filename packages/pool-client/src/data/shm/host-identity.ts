import { readFileSync } from 'node:fs';

/**
 * This host's identity for the shared-memory handshake: the running kernel's boot id (a random UUID per
 * boot). Two processes with the same boot id run on one kernel; whether they also see each other's
 * segments (same /proc, same tmpfs) is then proved by opening them, never assumed from an address such as
 * 127.0.0.1. '' when unknown (not Linux): shared memory is then never offered.
 */
let cached: string | undefined;
export function hostIdentity(): string {
  if (cached === undefined) {
    try {
      cached = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      cached = '';
    }
  }
  return cached;
}
