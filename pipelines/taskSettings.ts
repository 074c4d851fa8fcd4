/**
 * The replication task settings, as one complete document.
 *
 * Built from the full settings document that AWS DMS shows for a task ("Task settings example"
 * and "Saving task settings", AWS DMS User Guide, CHAP_Tasks.CustomizingTasks.TaskSettings and
 * ...TaskSettings.Saving), cross-checked against the document saved from a live task in
 * ministryofjustice/terraform-dms-module (default_task_settings.json). Every group and key DMS
 * returns is given, so that a refresh reads back what we wrote and shows no permanent diff.
 * `Logging.CloudWatchLogGroup` and `CloudWatchLogStream` are left out on purpose: DMS sets them
 * and refuses them on create ("Task Settings CloudWatchLogGroup or CloudWatchLogStream cannot
 * be set on create", same page).
 */

/**
 * Every log component DMS has ("Logging task settings", CHAP_Tasks.CustomizingTasks.TaskSettings.Logging),
 * in the order DMS lists them.
 */
export const LOG_COMPONENTS = [
  "TRANSFORMATION",
  "SOURCE_UNLOAD",
  "IO",
  "TARGET_LOAD",
  "PERFORMANCE",
  "SOURCE_CAPTURE",
  "SORTER",
  "REST_SERVER",
  "VALIDATOR_EXT",
  "TARGET_APPLY",
  "TASK_MANAGER",
  "TABLES_MANAGER",
  "METADATA_MANAGER",
  "FILE_FACTORY",
  "COMMON",
  "ADDONS",
  "DATA_STRUCTURE",
  "COMMUNICATION",
  "FILE_TRANSFER",
] as const;

export interface TaskSettingsOptions {
  /** Largest LOB kept in limited LOB mode, in KB; a longer one stops the task (see ErrorBehavior). */
  readonly lobMaxSizeKb: number;
  /** Tables loaded in parallel during the full load (DMS default 8, at most 49). */
  readonly maxFullLoadSubTasks: number;
  /**
   * Attempts to recover from a recoverable error (a lost connection, for example) before the
   * task fails; DMS's default -1 retries forever, so a broken source would never alert.
   */
  readonly recoverableErrorCount: number;
  /** Seconds before the first retry; DMS doubles it up to RecoverableErrorThrottlingMax. */
  readonly recoverableErrorIntervalSeconds: number;
}

/**
 * The complete task settings. Error behaviour differs from DMS's defaults where they hide a
 * problem (CHAP_Tasks.CustomizingTasks.TaskSettings.ErrorHandling gives the defaults):
 * - TableErrorPolicy SUSPEND_TABLE (default) would stop one table quietly while the task runs
 *   on; STOP_TASK stops the task, which sends a DMS failure event to the alerts topic.
 * - DataErrorPolicy and DataTruncationErrorPolicy LOG_ERROR (default) would drop or truncate
 *   values with only a log line; STOP_TASK makes that an alert too (raise lobMaxSizeKb for a
 *   truncated LOB).
 * - RecoverableErrorCount -1 (default) retries forever; a bounded count fails the task instead.
 */
export function replicationTaskSettings(options: TaskSettingsOptions) {
  return {
    TargetMetadata: {
      TargetSchema: "",
      SupportLobs: true,
      FullLobMode: false,
      LobChunkSize: 64,
      LimitedSizeLobMode: true,
      LobMaxSize: options.lobMaxSizeKb,
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
      // DROP_AND_CREATE would delete the table's folder in the landing bucket on a reload.
      TargetTablePrepMode: "DO_NOTHING",
      CreatePkAfterFullLoad: false,
      StopTaskCachedChangesApplied: false,
      StopTaskCachedChangesNotApplied: false,
      MaxFullLoadSubTasks: options.maxFullLoadSubTasks,
      TransactionConsistencyTimeout: 600,
      CommitRate: 10000,
    },
    Logging: {
      EnableLogging: true,
      EnableLogContext: false,
      LogComponents: LOG_COMPONENTS.map((Id) => ({ Id, Severity: "LOGGER_SEVERITY_DEFAULT" })),
    },
    ControlTablesSettings: {
      ControlSchema: "",
      HistoryTimeslotInMinutes: 5,
      // DMS returns the key in both spellings (seen in the saved document named above).
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
      DataErrorPolicy: "STOP_TASK",
      DataTruncationErrorPolicy: "STOP_TASK",
      DataMaskingErrorPolicy: "STOP_TASK",
      DataErrorEscalationPolicy: "STOP_TASK",
      DataErrorEscalationCount: 0,
      TableErrorPolicy: "STOP_TASK",
      TableErrorEscalationPolicy: "STOP_TASK",
      TableErrorEscalationCount: 0,
      RecoverableErrorCount: options.recoverableErrorCount,
      RecoverableErrorInterval: options.recoverableErrorIntervalSeconds,
      RecoverableErrorThrottling: true,
      RecoverableErrorThrottlingMax: 1800,
      RecoverableErrorStopRetryAfterThrottlingMax: true,
      // Apply conflicts cannot happen on an S3 target (every change is a new row); DMS's defaults.
      ApplyErrorDeletePolicy: "IGNORE_RECORD",
      ApplyErrorInsertPolicy: "LOG_ERROR",
      ApplyErrorUpdatePolicy: "LOG_ERROR",
      ApplyErrorEscalationPolicy: "LOG_ERROR",
      ApplyErrorEscalationCount: 0,
      ApplyErrorFailOnTruncationDdl: false,
      FullLoadIgnoreConflicts: true,
      // A mapping that selects no table is a mistake: fail rather than run empty.
      FailOnNoTablesCaptured: true,
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
}

export type ReplicationTaskSettings = ReturnType<typeof replicationTaskSettings>;
