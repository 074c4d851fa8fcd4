import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { firstOccurrenceAlarm } from "../lib/infra/alarms";
import { type NodeLambda } from "../lib/infra/components/nodeLambda";
import { EVENTBRIDGE_MAX_RETRY_POLICY } from "../lib/infra/events";
import { functionName } from "../lib/model/naming";
import { LandingSweep } from "./landingSweep";
import { type PipelineScope } from "./scope";
import { validationLambda, type ValidationLambdaArgs } from "./validationLambda";
import { ValidationSafetyNet } from "./validationWiring";

/**
 * Validation of each new landing file: the Lambda, the EventBridge rule that invokes it (with a
 * dead-letter queue behind it), the hourly landing sweep, and an alarm on its errors.
 * The landing bucket belongs to another repository, so its notifications reach us through
 * EventBridge (the bucket has EventBridge notifications on) instead of a bucket notification.
 */
export function fileValidation(scope: PipelineScope, args: ValidationLambdaArgs): NodeLambda {
  const { name, database: db, env, parent } = scope;
  const { kmsKeyArn, alertsTopicArn } = args.core;
  const validator = validationLambda(scope, args);
  const rule = new aws.cloudwatch.EventRule(
    `${name}-landing-object-created`,
    {
      name: functionName(`${db}-landing-object-created`, env),
      description: `New ${db} parquet files in the landing bucket (${env})`,
      eventPattern: pulumi.output(args.landingBucketName).apply((bucket) =>
        JSON.stringify({
          source: ["aws.s3"],
          "detail-type": ["Object Created"],
          detail: { bucket: { name: [bucket] }, object: { key: [{ prefix: `${db}/` }] } },
        }),
      ),
    },
    { parent },
  );
  const safetyNet = new ValidationSafetyNet(
    `${name}-validation`,
    { database: db, env, kmsKeyArn, alertsTopicArn, ruleArn: rule.arn },
    { parent },
  );
  new aws.cloudwatch.EventTarget(
    `${name}-landing-object-created-target`,
    {
      rule: rule.name,
      arn: validator.arn,
      retryPolicy: EVENTBRIDGE_MAX_RETRY_POLICY,
      deadLetterConfig: { arn: safetyNet.deadLetterQueue.arn },
    },
    { parent },
  );
  new LandingSweep(
    `${name}-sweep`,
    { database: db, env, functionArn: validator.arn, functionName: validator.name },
    { parent },
  );
  new aws.lambda.Permission(
    `${name}-validate-from-events`,
    {
      function: validator.name,
      action: "lambda:InvokeFunction",
      principal: "events.amazonaws.com",
      sourceArn: rule.arn,
    },
    { parent },
  );
  firstOccurrenceAlarm(
    `${name}-validate-errors`,
    {
      name: functionName(`${db}-validate-errors`, env),
      alarmDescription: `${db} (${env}): the validation Lambda failed; files may be waiting in landing`,
      namespace: "AWS/Lambda",
      metricName: "Errors",
      dimensions: { FunctionName: validator.name },
      statistic: "Sum",
      alarmActions: [alertsTopicArn],
    },
    { parent },
  );
  return validator;
}
