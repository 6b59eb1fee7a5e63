export * from './kv-pool-client.js';
