/**
 * EventBridge's longest retry policy: 185 attempts over 24 hours, its maximums ("Event retry
 * policy and using dead-letter queues", Amazon EventBridge User Guide, eb-rule-dlq). For the
 * targets whose events must not be lost: a DMS event's alert, a landing file's validation.
 */
export const EVENTBRIDGE_MAX_RETRY_POLICY = {
  maximumRetryAttempts: 185,
  maximumEventAgeInSeconds: 86400,
} as const;
