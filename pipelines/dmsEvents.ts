/**
 * What the DMS EventBridge rules match and what they publish (pipelines/dmsAlerts.ts): plain
 * data, so that core's notifier and the tests can check the envelope without a program.
 */

/**
 * The task's events that need a person: failures, state changes (stopped, started, reading
 * paused) and configuration changes. Detail-type and category values as in the example event of
 * "Working with Amazon EventBridge events" (CHAP_EventBridge: "category": "StateChange").
 */
export function taskEventPattern(taskArn: string) {
  return {
    source: ["aws.dms"],
    "detail-type": ["DMS Replication Task State Change"],
    resources: [taskArn],
    detail: { category: ["Failure", "StateChange", "ConfigurationChange"] },
  };
}

/**
 * Every event of the replication instance: its detail-types all start "DMS Replication Instance"
 * (the EventBridge events reference, events-ref-dms), and each (failure, low storage, failover,
 * maintenance, class or storage change) is rare and worth knowing.
 */
export function instanceEventPattern(instanceArn: string) {
  return {
    source: ["aws.dms"],
    "detail-type": [{ prefix: "DMS Replication Instance" }],
    resources: [instanceArn],
  };
}
