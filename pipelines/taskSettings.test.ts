import { LOG_COMPONENTS, replicationTaskSettings } from "./taskSettings";

/**
 * The whole document, written out. Values are AWS's from the task settings example and the
 * saved task of "Saving task settings" (AWS DMS User Guide,
 * CHAP_Tasks.CustomizingTasks.TaskSettings.Saving), the same as the document saved from a live
 * task in ministryofjustice/terraform-dms-module (default_task_settings.json), except where a
 * comment says otherwise and why.
 */
const EXPECTED = {
  TargetMetadata: {
    TargetSchema: "",
    SupportLobs: true,
    FullLobMode: false,
    LobChunkSize: 64,
    LimitedSizeLobMode: true,
    LobMaxSize: 64, // AWS example 32: our config's default
    InlineLobMaxSize: 0,
    LoadMaxFileSize: 0,
    ParallelLoadThreads: 0,
    ParallelLoadBufferSize: 0,
    ParallelLoadQueuesPerThread: 0,
    ParallelApplyThreads: 0,
    ParallelApplyBufferSize: 0,
    ParallelApplyQueuesPerThread: 0,
    BatchApplyEnabled: false,
    TaskRecoveryTableEnabled: false,
  },
  FullLoadSettings: {
    TargetTablePrepMode: "DO_NOTHING",
    CreatePkAfterFullLoad: false,
    StopTaskCachedChangesApplied: false,
    StopTaskCachedChangesNotApplied: false,
    MaxFullLoadSubTasks: 8,
    TransactionConsistencyTimeout: 600,
    CommitRate: 10000,
  },
  Logging: {
    EnableLogging: true,
    EnableLogContext: false,
    LogComponents: [
      { Id: "TRANSFORMATION", Severity: "LOGGER_SEVERITY_DEFAULT" },
      { Id: "SOURCE_UNLOAD", Severity: "LOGGER_SEVERITY_DEFAULT" },
      { Id: "IO", Severity: "LOGGER_SEVERITY_DEFAULT" },
      { Id: "TARGET_LOAD", Severity: "LOGGER_SEVERITY_DEFAULT" },
      { Id: "PERFORMANCE", Severity: "LOGGER_SEVERITY_DEFAULT" },
      { Id: "SOURCE_CAPTURE", Severity: "LOGGER_SEVERITY_DEFAULT" },
      { Id: "SORTER", Severity: "LOGGER_SEVERITY_DEFAULT" },
      { Id: "REST_SERVER", Severity: "LOGGER_SEVERITY_DEFAULT" },
      { Id: "VALIDATOR_EXT", Severity: "LOGGER_SEVERITY_DEFAULT" },
      { Id: "TARGET_APPLY", Severity: "LOGGER_SEVERITY_DEFAULT" },
      { Id: "TASK_MANAGER", Severity: "LOGGER_SEVERITY_DEFAULT" },
      { Id: "TABLES_MANAGER", Severity: "LOGGER_SEVERITY_DEFAULT" },
      { Id: "METADATA_MANAGER", Severity: "LOGGER_SEVERITY_DEFAULT" },
      { Id: "FILE_FACTORY", Severity: "LOGGER_SEVERITY_DEFAULT" },
      { Id: "COMMON", Severity: "LOGGER_SEVERITY_DEFAULT" },
      { Id: "ADDONS", Severity: "LOGGER_SEVERITY_DEFAULT" },
      { Id: "DATA_STRUCTURE", Severity: "LOGGER_SEVERITY_DEFAULT" },
      { Id: "COMMUNICATION", Severity: "LOGGER_SEVERITY_DEFAULT" },
      { Id: "FILE_TRANSFER", Severity: "LOGGER_SEVERITY_DEFAULT" },
    ],
  },
  ControlTablesSettings: {
    ControlSchema: "",
    HistoryTimeslotInMinutes: 5,
    historyTimeslotInMinutes: 5,
    HistoryTableEnabled: false,
    SuspendedTablesTableEnabled: false,
    StatusTableEnabled: false,
    FullLoadExceptionTableEnabled: false,
  },
  StreamBufferSettings: {
    StreamBufferCount: 3,
    StreamBufferSizeInMB: 8,
    CtrlStreamBufferSizeInMB: 5,
  },
  ChangeProcessingDdlHandlingPolicy: {
    HandleSourceTableDropped: true,
    HandleSourceTableTruncated: true,
    HandleSourceTableAltered: true,
  },
  ChangeProcessingTuning: {
    BatchApplyPreserveTransaction: true,
    BatchApplyTimeoutMin: 1,
    BatchApplyTimeoutMax: 30,
    BatchApplyMemoryLimit: 500,
    BatchSplitSize: 0,
    MinTransactionSize: 1000,
    CommitTimeout: 1,
    MemoryLimitTotal: 1024,
    MemoryKeepTime: 60,
    StatementCacheSize: 50,
    RecoveryTimeout: -1,
  },
  ErrorBehavior: {
    DataErrorPolicy: "STOP_TASK", // default LOG_ERROR: a bad value would be logged and lost
    DataTruncationErrorPolicy: "STOP_TASK", // default LOG_ERROR: a truncated LOB, likewise
    DataMaskingErrorPolicy: "STOP_TASK",
    DataErrorEscalationPolicy: "STOP_TASK", // default SUSPEND_TABLE
    DataErrorEscalationCount: 0,
    TableErrorPolicy: "STOP_TASK", // default SUSPEND_TABLE: a table would stop quietly
    TableErrorEscalationPolicy: "STOP_TASK",
    TableErrorEscalationCount: 0,
    RecoverableErrorCount: 10, // default -1: retry forever, never alert
    RecoverableErrorInterval: 5,
    RecoverableErrorThrottling: true,
    RecoverableErrorThrottlingMax: 1800,
    RecoverableErrorStopRetryAfterThrottlingMax: true,
    ApplyErrorDeletePolicy: "IGNORE_RECORD",
    ApplyErrorInsertPolicy: "LOG_ERROR",
    ApplyErrorUpdatePolicy: "LOG_ERROR",
    ApplyErrorEscalationPolicy: "LOG_ERROR",
    ApplyErrorEscalationCount: 0,
    ApplyErrorFailOnTruncationDdl: false,
    FullLoadIgnoreConflicts: true,
    FailOnNoTablesCaptured: true, // default false: a task selecting nothing would run empty
    FailOnTransactionConsistencyBreached: false,
    EventErrorPolicy: "IGNORE",
  },
  FailTaskWhenCleanTaskResourceFailed: false,
  BeforeImageSettings: null,
  CharacterSetSettings: null,
  LoopbackPreventionSettings: null,
  PostProcessingRules: null,
  TTSettings: { EnableTT: false, TTRecordSettings: null, TTS3Settings: null },
};

const DEFAULTS = {
  lobMaxSizeKb: 64,
  maxFullLoadSubTasks: 8,
  recoverableErrorCount: 10,
  recoverableErrorIntervalSeconds: 5,
};

test("the task settings are the whole document, key for key", () => {
  // toStrictEqual: a missing key or an extra one fails, as it would show as drift on refresh.
  expect(replicationTaskSettings(DEFAULTS)).toStrictEqual(EXPECTED);
});

test("every log component is logged, each once", () => {
  const ids = replicationTaskSettings(DEFAULTS).Logging.LogComponents.map((c) => c.Id);
  expect(ids).toEqual([...LOG_COMPONENTS]);
  expect(new Set(ids).size).toBe(19);
});

test("no error is left to suspend a table or retry forever", () => {
  const errors = replicationTaskSettings(DEFAULTS).ErrorBehavior;
  expect(Object.values(errors)).not.toContain("SUSPEND_TABLE");
  expect(errors.RecoverableErrorCount).toBeGreaterThanOrEqual(0);
});

test("the configurable values land where DMS reads them", () => {
  const s = replicationTaskSettings({
    lobMaxSizeKb: 1024,
    maxFullLoadSubTasks: 4,
    recoverableErrorCount: 3,
    recoverableErrorIntervalSeconds: 60,
  });
  expect(s.TargetMetadata.LobMaxSize).toBe(1024);
  expect(s.FullLoadSettings.MaxFullLoadSubTasks).toBe(4);
  expect(s.ErrorBehavior.RecoverableErrorCount).toBe(3);
  expect(s.ErrorBehavior.RecoverableErrorInterval).toBe(60);
});

test("the CloudWatch log group and stream, which DMS refuses on create, are never set", () => {
  const logging = replicationTaskSettings(DEFAULTS).Logging as Record<string, unknown>;
  expect(logging.CloudWatchLogGroup).toBeUndefined();
  expect(logging.CloudWatchLogStream).toBeUndefined();
});
