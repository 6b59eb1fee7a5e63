// @oicf/loadgen/testing: stand-ins for tests of the replay client (re-exports only). The real
// cluster is tested under test/integration.

export {
  type CompletionBody,
  FAKE_MODEL,
  type FakeBehaviour,
  type FakeRouter,
  startFakeRouter,
} from './fake-router.js';
export { type Script, type ScriptedTarget, scriptedTarget } from './scripted-target.js';
