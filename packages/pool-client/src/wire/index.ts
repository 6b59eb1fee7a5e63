// @oicf/pool-client/wire: the domain ↔ wire mapping of the pool API, for the kv-pool's adapters. Re-exports only.
export * from './pool-wire.js';
