export * from './session-trace-fixture.js';
export * from './tier-store-contract.js';
