/**
 * The validation Lambda's environment as the Lambda tests set it: the keys and rules are the
 * contract the program builds and the Lambda parses (lib/contracts/validateEnv.ts, no stand-in);
 * the topic ARN has SNS's documented form arn:aws:sns:<region>:<account>:<topic> (AWS General
 * Reference, "Amazon Resource Names (ARNs)", and the SNS API Reference, CreateTopic's TopicArn).
 */

/** The alerts topic the Lambda tests publish to. */
export const TEST_ALERTS_TOPIC_ARN = "arn:aws:sns:eu-west-2:123456789012:alerts";

/** The variables every validation Lambda needs (VALIDATE_ENV), with the tests' topic. */
export function validateTestEnv(
  buckets: { rawHistory: string; fail: string; metadata: string },
  environment = "dev",
): Record<string, string> {
  return {
    RAW_HISTORY_BUCKET: buckets.rawHistory,
    FAIL_BUCKET: buckets.fail,
    METADATA_BUCKET: buckets.metadata,
    ALERTS_TOPIC_ARN: TEST_ALERTS_TOPIC_ARN,
    ENVIRONMENT: environment,
  };
}
