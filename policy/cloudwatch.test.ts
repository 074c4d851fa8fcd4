import { cloudwatchPolicies } from "./cloudwatch";
import {
  type HandResource,
  describeResourcePolicy,
  describeStackPolicy,
  policyNamed,
} from "./testing";
import { T } from "./types";

const policy = (name: string) => policyNamed(cloudwatchPolicies, name);
const KEY = "arn:aws:kms:eu-west-2:111122223333:key/1234abcd";
const lg = `${T.logGroup} "subject"`;

describeResourcePolicy(policy("cloudwatch-log-group-kms-encrypted"), T.logGroup, [
  {
    title: "customer key",
    props: { name: "/aws/lambda/f", retentionInDays: 90, kmsKeyId: KEY },
    messages: [],
  },
  {
    title: "no key",
    props: { name: "/aws/lambda/f", retentionInDays: 90 },
    messages: [
      `${lg}: it is not encrypted with a customer-managed key (kmsKeyId is not set). Fix: set kmsKeyId to the customer-managed key ARN.`,
    ],
  },
]);

describeResourcePolicy(policy("cloudwatch-log-group-retention"), T.logGroup, [
  { title: "90 days", props: { name: "g", retentionInDays: 90 }, messages: [] },
  {
    title: "never expires",
    props: { name: "g" },
    messages: [
      `${lg}: its logs never expire. Fix: set retentionInDays between 30 and 731, for example 30.`,
    ],
  },
  {
    title: "too short",
    props: { name: "g", retentionInDays: 7 },
    messages: [
      `${lg}: it keeps logs 7 days, fewer than 30. Fix: set retentionInDays between 30 and 731, for example 30.`,
    ],
  },
  {
    title: "too long for the configured bounds",
    props: { name: "g", retentionInDays: 3653 },
    config: { minDays: 14, maxDays: 400 },
    messages: [
      /it keeps logs 3653 days, more than 400\. Fix: set retentionInDays between 14 and 400, for example 14\./,
    ],
  },
]);

describeResourcePolicy(policy("cloudwatch-alarm-has-actions"), T.metricAlarm, [
  {
    title: "notifies the alerts topic",
    props: { alarmActions: ["arn:aws:sns:eu-west-2:1:alerts"] },
    messages: [],
  },
  {
    title: "silent",
    props: { actionsEnabled: false, alarmActions: [] },
    messages: [
      `${T.metricAlarm} "subject": its actions are disabled. Fix: set actionsEnabled: true.`,
      `${T.metricAlarm} "subject": it has no alarm action, so nobody hears of it. Fix: set alarmActions to the alerts topic ARN.`,
    ],
  },
  {
    title: "muted in prod: blocks",
    props: { actionsEnabled: false, alarmActions: ["arn:aws:sns:eu-west-2:1:alerts"] },
    stackTags: new Map([["dataeng:stack", "pipelines-prod"]]),
    messages: [
      `${T.metricAlarm} "subject": its actions are disabled. Fix: set actionsEnabled: true.`,
    ],
    level: "mandatory",
  },
  {
    title: "muted in dev: advisory",
    props: { actionsEnabled: false, alarmActions: ["arn:aws:sns:eu-west-2:1:alerts"] },
    stackTags: new Map([["dataeng:stack", "pipelines-dev"]]),
    messages: [
      `${T.metricAlarm} "subject": its actions are disabled. Fix: set actionsEnabled: true. (advisory in dev; blocks the deploy in prod)`,
    ],
    level: "advisory",
  },
  {
    title: "muted in preprod when preprod is configured to block too",
    props: { alarmActions: [] },
    stackTags: new Map([["dataeng:stack", "pipelines-preprod"]]),
    config: { mandatoryEnvironments: ["preprod", "prod"] },
    messages: [
      `${T.metricAlarm} "subject": it has no alarm action, so nobody hears of it. Fix: set alarmActions to the alerts topic ARN.`,
    ],
    level: "mandatory",
  },
]);

const pattern = JSON.stringify({ source: ["aws.s3"], "detail-type": ["Object Created"] });
describeResourcePolicy(policy("eventbridge-rule-valid-trigger"), T.eventRule, [
  { title: "an event pattern", props: { eventPattern: pattern }, messages: [] },
  {
    title: "a schedule",
    props: { scheduleExpression: "rate(1 day)", state: "ENABLED" },
    messages: [],
  },
  {
    title: "nothing to trigger it, and disabled",
    props: { state: "DISABLED" },
    messages: [
      `${T.eventRule} "subject": it has neither eventPattern nor scheduleExpression. Fix: set eventPattern or scheduleExpression.`,
      `${T.eventRule} "subject": it is disabled. Fix: set state: "ENABLED".`,
    ],
  },
  {
    title: "a pattern that is not JSON",
    props: { eventPattern: "{source" },
    messages: [/its eventPattern is not a JSON object: it is not valid JSON/],
  },
]);

const fnArn = "arn:aws:lambda:eu-west-2:1:function:validate";
const ruleArn = "arn:aws:events:eu-west-2:1:rule/landing";
const wiring = (permission: Record<string, unknown> | undefined): HandResource[] => [
  { type: T.lambdaFunction, name: "validate", props: { name: "validate", arn: fnArn } },
  {
    type: T.eventRule,
    name: "landing",
    props: { name: "landing", arn: ruleArn, eventPattern: pattern },
  },
  {
    type: T.eventTarget,
    name: "landing-target",
    props: { rule: "landing", arn: fnArn },
    propertyDependencies: { rule: ["landing"], arn: ["validate"] },
  },
  ...(permission
    ? [
        {
          type: T.lambdaPermission,
          name: "validate-from-landing",
          props: permission,
          propertyDependencies: { function: ["validate"], sourceArn: ["landing"] },
        },
      ]
    : []),
];
describeStackPolicy(policy("eventbridge-lambda-target-permitted"), [
  {
    title: "a permission scoped to the rule",
    resources: wiring({
      function: "validate",
      action: "lambda:InvokeFunction",
      principal: "events.amazonaws.com",
      sourceArn: ruleArn,
    }),
    messages: [],
  },
  {
    title: "no permission",
    resources: wiring(undefined),
    messages: [
      `${T.eventTarget} "landing-target": no aws:lambda/permission lets events.amazonaws.com invoke "validate" from rule "landing". Fix: add an aws.lambda.Permission { function, action: "lambda:InvokeFunction", principal: "events.amazonaws.com", sourceArn: rule.arn }.`,
    ],
  },
  {
    title: "a permission for another principal",
    resources: wiring({
      function: "validate",
      action: "lambda:InvokeFunction",
      principal: "sns.amazonaws.com",
      sourceArn: ruleArn,
    }),
    messages: [/no aws:lambda\/permission lets events\.amazonaws\.com invoke "validate"/],
  },
]);
