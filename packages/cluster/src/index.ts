// @oicf/cluster: a local serving cluster as OS processes, from one config. Re-exports only;
// README.md says what each part owns.

export {
  CLUSTER_SECRET_FILE,
  cliCredentials,
  createClusterSecret,
  credentialsFile,
  readClusterSecret,
  serviceAuthEnv,
} from './cluster-auth.js';
export {
  type ClusterConfig,
  clusterConfigSchema,
  defaultClusterConfig,
  type ParseClusterResult,
  parseClusterConfig,
  SERVED_MODELS,
} from './cluster-config.js';
export { type ClusterLauncher, type LaunchedCluster, localClusterLauncher } from './cluster-launcher.js';
export {
  type ClusterState,
  clearClusterState,
  clusterStateFile,
  type LaunchedService,
  readClusterState,
  type ServiceEndpoints,
  writeClusterState,
} from './cluster-state.js';
export {
  hasLiveCluster,
  liveRunDirs,
  type RunDirRegistry,
  registerRunDir,
  runDirRegistryFile,
  unregisterRunDir,
} from './cluster-state-registry.js';
export {
  COMPARE_KEYS,
  type CompareKey,
  type CompareSpec,
  checkValue,
  EMULATE_NONE,
  MODES,
  overridesFor,
  parseCompareSpec,
  variantSlug,
} from './compare-spec.js';
export {
  APP_MAIN,
  ensureServiceBuild,
  LaunchError,
  type LaunchOptions,
  launchCluster,
  REPO_ROOT,
  RUN_SERVICE,
  type RunningCluster,
} from './launcher.js';
export { KV_MOVEMENT_COUNTERS, metricTotals } from './metric-totals.js';
export { applyOverrides, type ClusterOverrides } from './overrides.js';
export {
  cpuSecondsByThread,
  loadAverage,
  machineBusySeconds,
  machineCpuSeconds,
  minorFaults,
  type ProcessCpu,
  processCpu,
  statCpuSeconds,
} from './process-cpu.js';
export {
  clusterScrapeTargets,
  RUN_DIR_TARGETS_FILE,
  removeScrapeTargets,
  STABLE_TARGETS_DIR,
  scrapeRole,
  stableTargetsFile,
  writeScrapeTargets,
} from './scrape-targets-file.js';
export {
  clusterMaxContextTokens,
  type PoolAddresses,
  poolServiceConfig,
  routerServiceConfig,
  WORKER_MAX_TOKENS_PER_SEQUENCE,
  type WorkerKind,
  workerServiceConfig,
} from './service-configs.js';
export {
  type CommandLineCheck,
  checkCommandLine,
  decideStatus,
  isAlive,
  type PidProbe,
  type ProcessRef,
  probePid,
  readCommandLine,
  type ServiceStatus,
  type StopOptions,
  type StopOutcome,
  serviceStatus,
  stopServices,
} from './service-process.js';
export { bytes, workersTable } from './status-table.js';
export {
  launchSupervisedCluster,
  SUPERVISOR_MAIN,
  type SupervisedLaunchOptions,
  stopSupervisedCluster,
} from './supervised-launch.js';
export { pinPorts, portOf, Supervisor, type SupervisorOptions } from './supervisor.js';
export {
  DEFAULT_RESTART_POLICY,
  decideRestart,
  type RestartDecision,
  type RestartHistory,
  type RestartPolicy,
} from './supervisor-policy.js';
