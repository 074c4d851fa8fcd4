/** CloudWatch: log groups, metric alarms, and EventBridge (CloudWatch Events) rules and targets. */
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import { type PolicyResource } from "@pulumi/policy";
import {
  type PackPolicy,
  UNKNOWN,
  asList,
  isAwsManagedKey,
  nonEmptyString,
  parseMaybeJson,
  read,
  resourcePolicy,
  stackPolicy,
} from "./common";
import { T } from "./types";

const logGroupKms = resourcePolicy({
  name: "cloudwatch-log-group-kms-encrypted",
  description:
    "A CloudWatch log group is encrypted with a customer-managed KMS key (logs can hold record data).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set kmsKeyId to the customer-managed key ARN; its key policy must let logs.<region>.amazonaws.com use it.",
  resource: cloudwatch.LogGroup,
  validate: (props, judge) => {
    if (!nonEmptyString(props.kmsKeyId)) {
      judge.fail(
        "it is not encrypted with a customer-managed key (kmsKeyId is not set)",
        "set kmsKeyId to the customer-managed key ARN",
      );
    } else if (isAwsManagedKey(props.kmsKeyId)) {
      judge.fail(
        `it uses the AWS managed key ${props.kmsKeyId}`,
        "set kmsKeyId to the customer-managed key ARN",
      );
    }
  },
});

/** The retention periods CloudWatch Logs accepts. */
export const CLOUDWATCH_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
];

const logGroupRetention = resourcePolicy<
  cloudwatch.LogGroupArgs,
  { minDays: number; maxDays: number }
>({
  name: "cloudwatch-log-group-retention",
  description:
    "A CloudWatch log group keeps its logs for a bounded period: long enough to investigate, not forever (cost).",
  enforcementLevel: "advisory",
  remediationSteps:
    "Set retentionInDays to a CloudWatch-supported value within the configured bounds.",
  config: {
    minDays: {
      type: "integer",
      minimum: 1,
      maximum: 3653,
      default: 30,
      description: "Shortest retention accepted.",
    },
    maxDays: {
      type: "integer",
      minimum: 1,
      maximum: 3653,
      default: 731,
      description: "Longest retention accepted.",
    },
  },
  resource: cloudwatch.LogGroup,
  validate: (props, judge) => {
    const { minDays, maxDays } = judge.config;
    const days = props.retentionInDays;
    const fix = `set retentionInDays between ${minDays} and ${maxDays}, for example ${CLOUDWATCH_RETENTION_DAYS.find((d) => d >= minDays && d <= maxDays) ?? minDays}`;
    if (days === undefined || days === 0) return judge.fail("its logs never expire", fix);
    if (typeof days !== "number")
      return judge.cannotJudge(`retentionInDays ${JSON.stringify(days)}`);
    if (days < minDays) judge.fail(`it keeps logs ${days} days, fewer than ${minDays}`, fix);
    else if (days > maxDays) judge.fail(`it keeps logs ${days} days, more than ${maxDays}`, fix);
  },
});

const alarmActions = resourcePolicy({
  name: "cloudwatch-alarm-has-actions",
  description:
    "A CloudWatch metric alarm notifies someone: its actions are enabled and it has an alarm action. Blocks in production (a muted alarm there lets CDC stop unnoticed), advisory elsewhere.",
  enforcementLevel: "mandatory",
  mandatoryOnlyInProduction: true,
  remediationSteps: "Set alarmActions to the alerts topic ARN and leave actionsEnabled true.",
  resource: cloudwatch.MetricAlarm,
  validate: (props, judge) => {
    if (props.actionsEnabled === false)
      judge.fail("its actions are disabled", "set actionsEnabled: true");
    if (asList(props.alarmActions).length === 0)
      judge.fail(
        "it has no alarm action, so nobody hears of it",
        "set alarmActions to the alerts topic ARN",
      );
  },
});

const ruleTrigger = resourcePolicy({
  name: "eventbridge-rule-valid-trigger",
  description: "An EventBridge rule has a valid event pattern or a schedule, and is enabled.",
  enforcementLevel: "advisory",
  remediationSteps: 'Set eventPattern (valid JSON) or scheduleExpression, and state "ENABLED".',
  resource: cloudwatch.EventRule,
  validate: (props, judge) => {
    if (props.eventPattern === undefined && props.scheduleExpression === undefined) {
      judge.fail(
        "it has neither eventPattern nor scheduleExpression",
        "set eventPattern or scheduleExpression",
      );
    }
    if (props.eventPattern !== undefined) {
      const parsed = parseMaybeJson(props.eventPattern);
      if (!parsed.ok || typeof parsed.value !== "object" || parsed.value === null) {
        judge.fail(
          `its eventPattern is not a JSON object${parsed.ok ? "" : `: ${parsed.reason}`}`,
          "set eventPattern to JSON.stringify({ source: [...], ... })",
        );
      }
    }
    if (props.state === "DISABLED" || props.isEnabled === false) {
      judge.fail("it is disabled", 'set state: "ENABLED"');
    }
  },
});

const lambdaTargetPermitted = stackPolicy({
  name: "eventbridge-lambda-target-permitted",
  description:
    "An EventBridge target that invokes a Lambda function of the stack comes with an aws:lambda/permission for events.amazonaws.com scoped to that rule; otherwise the events are silently dropped.",
  enforcementLevel: "advisory",
  remediationSteps:
    'Add an aws.lambda.Permission { function, action: "lambda:InvokeFunction", principal: "events.amazonaws.com", sourceArn: rule.arn }.',
  resourceTypes: [T.eventTarget],
  validate: (judge) => {
    const functions = judge.stack.ofType(T.lambdaFunction);
    const rules = judge.stack.ofType(T.eventRule);
    const permissions = judge.stack
      .ofType(T.lambdaPermission)
      .filter((p) => read(p.props, "principal") === "events.amazonaws.com");
    const functionsOf = (r: PolicyResource, prop: string) =>
      judge.stack.referenced(r, prop, functions, ["arn", "name"]);
    judge.each(judge.stack.ofType(T.eventTarget), (target) => {
      const fns = functionsOf(target, "arn");
      if (fns.length === 0) return; // Not a function of this stack.
      const rule = judge.stack.referenced(target, "rule", rules, ["name", "id"])[0];
      const ok = permissions.some((p) => {
        if (!functionsOf(p, "function").some((f) => fns.includes(f))) return false;
        if (!rule) return true;
        const source = read(p.props, "sourceArn");
        const ruleArn = read(rule.props, "arn");
        return (
          (p.propertyDependencies?.["sourceArn"] ?? []).includes(rule) ||
          source === UNKNOWN ||
          (typeof source === "string" && source === ruleArn)
        );
      });
      if (!ok) {
        judge.fail(
          target,
          `no aws:lambda/permission lets events.amazonaws.com invoke "${fns[0].name}"${rule ? ` from rule "${rule.name}"` : ""}`,
          'add an aws.lambda.Permission { function, action: "lambda:InvokeFunction", principal: "events.amazonaws.com", sourceArn: rule.arn }',
        );
      }
    });
  },
});

export const cloudwatchPolicies: PackPolicy[] = [
  logGroupKms,
  logGroupRetention,
  alarmActions,
  ruleTrigger,
  lambdaTargetPermitted,
];
