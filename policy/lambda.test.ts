import { lambdaPolicies } from "./lambda";
import {
  type HandResource,
  describeResourcePolicy,
  describeStackPolicy,
  policyNamed,
} from "./testing";
import { T } from "./types";

const policy = (name: string) => policyNamed(lambdaPolicies, name);
const fn = `${T.lambdaFunction} "subject"`;
const KEY = "arn:aws:kms:eu-west-2:111122223333:key/1234abcd";
const fnProps = {
  name: "dataeng-notify-prod",
  role: "arn:aws:iam::111122223333:role/notify",
  runtime: "nodejs22.x",
  handler: "index.handler",
  kmsKeyArn: KEY,
  tracingConfig: { mode: "Active" },
  loggingConfig: { logFormat: "JSON", logGroup: "/aws/lambda/dataeng-notify-prod" },
  environment: { variables: { SLACK_WEBHOOK_SECRET_NAME: "slack-webhook", ENVIRONMENT: "prod" } },
};

describeResourcePolicy(policy("lambda-runtime-allowed"), T.lambdaFunction, [
  { title: "nodejs22.x", props: fnProps, messages: [] },
  {
    title: "a container image",
    props: { ...fnProps, runtime: undefined, packageType: "Image" },
    messages: [],
  },
  {
    title: "a deprecated runtime",
    props: { ...fnProps, runtime: "nodejs16.x" },
    messages: [
      `${fn}: its runtime nodejs16.x is not allowed. Fix: set runtime to one of nodejs22.x, nodejs24.x.`,
    ],
  },
  {
    title: "no runtime",
    props: { ...fnProps, runtime: undefined },
    messages: [/it sets no runtime/],
  },
  {
    title: "as configured",
    props: { ...fnProps, runtime: "python3.13" },
    config: { allowedRuntimes: ["python3.13"] },
    messages: [],
  },
]);

describeResourcePolicy(policy("lambda-tracing-active"), T.lambdaFunction, [
  { title: "Active", props: fnProps, messages: [] },
  {
    title: "PassThrough",
    props: { ...fnProps, tracingConfig: { mode: "PassThrough" } },
    messages: [`${fn}: X-Ray tracing is not active. Fix: set tracingConfig: { mode: "Active" }.`],
  },
  {
    title: "no tracing in prod: blocks",
    props: { ...fnProps, tracingConfig: undefined },
    stackTags: new Map([["dataeng:stack", "pipelines-prod"]]),
    messages: [`${fn}: X-Ray tracing is not active. Fix: set tracingConfig: { mode: "Active" }.`],
    level: "mandatory",
  },
  {
    title: "no tracing in dev: advisory, saying where it blocks",
    props: { ...fnProps, tracingConfig: undefined },
    stackTags: new Map([["dataeng:stack", "pipelines-dev"]]),
    messages: [
      `${fn}: X-Ray tracing is not active. Fix: set tracingConfig: { mode: "Active" }. (advisory in dev; blocks the deploy in prod)`,
    ],
    level: "advisory",
  },
]);

const logGroup = (name: string, props: Record<string, unknown>): HandResource => ({
  type: T.logGroup,
  name,
  props,
});
const func = (props: Record<string, unknown>, propertyDependencies = {}): HandResource => ({
  type: T.lambdaFunction,
  name: "notify-function",
  props,
  propertyDependencies,
});
describeStackPolicy(policy("lambda-log-group-retention"), [
  {
    title: "loggingConfig names a log group with retention",
    resources: [
      logGroup("notify-logs", {
        name: "/aws/lambda/dataeng-notify-prod",
        retentionInDays: 90,
        kmsKeyId: KEY,
      }),
      func(fnProps, { loggingConfig: ["notify-logs"] }),
    ],
    messages: [],
  },
  {
    title: "the default /aws/lambda/<name> group, found by name",
    resources: [
      logGroup("logs", { name: "/aws/lambda/dataeng-notify-prod", retentionInDays: 30 }),
      func({ ...fnProps, loggingConfig: undefined }),
    ],
    messages: [],
  },
  {
    title: "loggingConfig names a group the stack lacks, beside the default-named one",
    resources: [
      logGroup("logs", { name: "/aws/lambda/dataeng-notify-prod", retentionInDays: 30 }),
      func({ ...fnProps, loggingConfig: { logFormat: "JSON", logGroup: "/aws/lambda/elsewhere" } }),
    ],
    messages: [
      `${T.lambdaFunction} "notify-function": no log group of this stack is named /aws/lambda/elsewhere. Fix: create an aws.cloudwatch.LogGroup /aws/lambda/<function name> with retentionInDays and kmsKeyId, and set loggingConfig.logGroup to it.`,
    ],
  },
  {
    title: "no log group",
    resources: [func({ ...fnProps, loggingConfig: undefined })],
    messages: [
      `${T.lambdaFunction} "notify-function": no log group of this stack is named /aws/lambda/dataeng-notify-prod. Fix: create an aws.cloudwatch.LogGroup /aws/lambda/<function name> with retentionInDays and kmsKeyId, and set loggingConfig.logGroup to it.`,
    ],
  },
  {
    title: "no log group, in dev: advisory",
    resources: [func({ ...fnProps, loggingConfig: undefined })],
    stackTags: new Map([["dataeng:stack", "pipelines-dev"]]),
    messages: [
      `${T.lambdaFunction} "notify-function": no log group of this stack is named /aws/lambda/dataeng-notify-prod. Fix: create an aws.cloudwatch.LogGroup /aws/lambda/<function name> with retentionInDays and kmsKeyId, and set loggingConfig.logGroup to it. (advisory in dev; blocks the deploy in prod)`,
    ],
    level: "advisory",
  },
  {
    title: "no log group, in prod: blocks",
    resources: [func({ ...fnProps, loggingConfig: undefined })],
    stackTags: new Map([["dataeng:stack", "pipelines-prod"]]),
    messages: [
      `${T.lambdaFunction} "notify-function": no log group of this stack is named /aws/lambda/dataeng-notify-prod. Fix: create an aws.cloudwatch.LogGroup /aws/lambda/<function name> with retentionInDays and kmsKeyId, and set loggingConfig.logGroup to it.`,
    ],
    level: "mandatory",
  },
  {
    title: "a log group that never expires",
    resources: [
      logGroup("notify-logs", { name: "/aws/lambda/dataeng-notify-prod" }),
      func(fnProps, { loggingConfig: ["notify-logs"] }),
    ],
    messages: [
      /its log group "notify-logs" never expires\. Fix: set retentionInDays on "notify-logs"\./,
    ],
  },
]);

const perm = `${T.lambdaPermission} "subject"`;
const invoke = { function: "dataeng-notify-prod", action: "lambda:InvokeFunction" };
describeResourcePolicy(policy("lambda-permission-scoped"), T.lambdaPermission, [
  {
    title: "SNS from the alerts topic",
    props: {
      ...invoke,
      principal: "sns.amazonaws.com",
      sourceArn: "arn:aws:sns:eu-west-2:1:alerts",
    },
    messages: [],
  },
  {
    title: "S3 with bucket and account",
    props: {
      ...invoke,
      principal: "s3.amazonaws.com",
      sourceArn: "arn:aws:s3:::b",
      sourceAccount: "111122223333",
    },
    messages: [],
  },
  {
    title: "an account of the allowlist",
    props: { ...invoke, principal: "111122223333" },
    config: { accountIds: ["111122223333"] },
    messages: [],
  },
  {
    title: "another account's role",
    props: { ...invoke, principal: "arn:aws:iam::999999999999:role/caller" },
    config: { accountIds: ["111122223333"] },
    messages: [
      `${perm}: it lets arn:aws:iam::999999999999:role/caller of another account invoke the function. Fix: name a principal of this account, or add the account to accountIds in policy-config.json.`,
    ],
  },
  {
    title: "a service from anywhere",
    props: { ...invoke, principal: "events.amazonaws.com" },
    messages: [
      `${perm}: it lets events.amazonaws.com invoke on behalf of any resource (no sourceArn), in any account. Fix: set sourceArn to the rule, topic or bucket that invokes the function.`,
    ],
  },
  {
    title: "S3 without the account",
    props: { ...invoke, principal: "s3.amazonaws.com", sourceArn: "arn:aws:s3:::b" },
    messages: [
      /it lets s3\.amazonaws\.com invoke without sourceAccount, and bucket ARNs carry no account\. Fix: set sourceAccount/,
    ],
  },
  {
    title: "anyone, through an open function URL",
    props: {
      action: "lambda:InvokeFunctionUrl",
      function: "f",
      principal: "*",
      functionUrlAuthType: "NONE",
    },
    messages: [
      /its principal is "\*"/,
      /it opens a function URL without authentication\. Fix: set functionUrlAuthType: "AWS_IAM"\./,
    ],
  },
]);

describeResourcePolicy(policy("lambda-environment-no-plaintext-secrets"), T.lambdaFunction, [
  { title: "a secret's name", props: fnProps, messages: [] },
  { title: "no environment", props: { ...fnProps, environment: undefined }, messages: [] },
  {
    title: "a password and a Slack webhook",
    props: {
      ...fnProps,
      environment: {
        variables: {
          DB_PASSWORD: "hunter2",
          NOTIFY: "https://hooks.slack.com/services/T000/B000/XXXX",
          EMPTY_TOKEN: "",
        },
      },
    },
    messages: [
      `${fn}: environment variable DB_PASSWORD looks like it holds a secret value. Fix: store the value in Secrets Manager and pass its name (for example <NAME>_SECRET_NAME) instead.`,
      `${fn}: environment variable NOTIFY holds what looks like a secret (a token, key, password or webhook URL). Fix: store the value in Secrets Manager and pass its name (for example <NAME>_SECRET_NAME) instead.`,
    ],
  },
  {
    title: "an access key id",
    props: { ...fnProps, environment: { variables: { KEY_ID: "AKIAIOSFODNN7EXAMPLE" } } },
    messages: [/KEY_ID holds what looks like a secret/],
  },
]);

const invokeConfig = `${T.lambdaEventInvokeConfig} "subject"`;
describeResourcePolicy(policy("lambda-async-failure-destination"), T.lambdaEventInvokeConfig, [
  {
    title: "failures to a queue after two retries",
    props: {
      functionName: "f",
      maximumRetryAttempts: 2,
      destinationConfig: { onFailure: { destination: "arn:aws:sqs:eu-west-2:1:q" } },
    },
    messages: [],
  },
  {
    title: "no failure destination",
    props: { functionName: "f", maximumRetryAttempts: 2 },
    messages: [
      `${invokeConfig}: failed events go nowhere (no onFailure destination). Fix: set destinationConfig.onFailure.destination to a queue or topic.`,
    ],
  },
  {
    title: "more retries than configured",
    props: {
      functionName: "f",
      maximumRetryAttempts: 2,
      destinationConfig: { onFailure: { destination: "q" } },
    },
    config: { maxRetryAttempts: 1 },
    messages: [/it retries 2 times, more than 1\. Fix: set maximumRetryAttempts to at most 1\./],
  },
]);

describeResourcePolicy(policy("lambda-environment-no-plaintext-secrets"), T.lambdaFunction, [
  {
    title: "a secret's ARN under a secret-sounding name",
    props: {
      environment: {
        variables: {
          ORACLE_SECRET: "arn:aws:secretsmanager:eu-west-2:123456789012:secret:dms/oracle-AbC123",
        },
      },
    },
    messages: [],
  },
  {
    title: "a DSN with a password, whatever the variable's name",
    props: {
      environment: { variables: { ORACLE_DSN: "oracle://dms:S3cret@db.internal:1521/DNDAPRD" } },
    },
    messages: [
      `${fn}: environment variable ORACLE_DSN holds what looks like a secret (a token, key, password or webhook URL). Fix: store the value in Secrets Manager and pass its name (for example <NAME>_SECRET_NAME) instead.`,
    ],
  },
]);

describeResourcePolicy(policy("lambda-function-url-authenticated"), T.lambdaFunctionUrl, [
  { title: "IAM auth", props: { functionName: "f", authorizationType: "AWS_IAM" }, messages: [] },
  {
    title: "no auth",
    props: { functionName: "f", authorizationType: "NONE" },
    messages: [
      `${T.lambdaFunctionUrl} "subject": its authorizationType is "NONE", so anyone may invoke the function. Fix: set authorizationType: "AWS_IAM".`,
    ],
  },
]);
