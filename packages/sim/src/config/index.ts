// @oicf/sim/config: a twin design from the cluster.json `oicf cluster up` launches (imports @oicf/cluster
// and the emulation target, which load the kernels package). Re-exports only.
export {
  type ClusterFromConfigOptions,
  clusterFromConfig,
  type StepModelChoice,
  thisMachineHost,
} from './cluster-from-config.js';
export { thisMachineTarget } from './this-machine-target.js';
