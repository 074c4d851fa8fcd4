/** Lambda: functions, their log groups, and the permissions that let services invoke them. */
import * as lambda from "@pulumi/aws/lambda";
import {
  accountList,
  type PackPolicy,
  UNKNOWN,
  isRecord,
  nonEmptyString,
  read,
  resourcePolicy,
  stackPolicy,
} from "./common";
import { arnAccount } from "./documents";
import { T } from "./types";

const runtime = resourcePolicy<lambda.FunctionArgs, { allowedRuntimes: string[] }>({
  name: "lambda-runtime-allowed",
  description:
    "A Lambda function uses a supported runtime from the allowlist (a deprecated runtime gets no security patches).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set runtime to an allowed runtime (lib/infra/components/nodeLambda.ts sets it for every function).",
  config: {
    allowedRuntimes: {
      type: "array",
      items: { type: "string", pattern: "^[a-z0-9.]+$" },
      minItems: 1,
      uniqueItems: true,
      default: ["nodejs22.x", "nodejs24.x"],
      description: "Runtimes functions may use.",
    },
  },
  resource: lambda.Function,
  validate: (props, judge) => {
    if (props.packageType === "Image") return; // A container image brings its own runtime.
    const allowed = judge.config.allowedRuntimes;
    if (props.runtime === undefined) {
      judge.fail("it sets no runtime", `set runtime to one of ${allowed.join(", ")}`);
    } else if (!allowed.includes(props.runtime)) {
      judge.fail(
        `its runtime ${props.runtime} is not allowed`,
        `set runtime to one of ${allowed.join(", ")}`,
      );
    }
  },
});

const tracing = resourcePolicy({
  name: "lambda-tracing-active",
  description:
    "A Lambda function sends X-Ray traces, so that a slow or failing invocation can be followed. Blocks in production, advisory elsewhere.",
  enforcementLevel: "mandatory",
  mandatoryOnlyInProduction: true,
  remediationSteps:
    'Set tracingConfig: { mode: "Active" } and allow xray:PutTraceSegments (AWSXRayDaemonWriteAccess).',
  resource: lambda.Function,
  validate: (props, judge) => {
    if (props.tracingConfig?.mode !== "Active") {
      judge.fail("X-Ray tracing is not active", 'set tracingConfig: { mode: "Active" }');
    }
  },
});

const logGroup = stackPolicy({
  name: "lambda-log-group-retention",
  description:
    "Every Lambda function writes to a log group of the same stack that has a retention period. Otherwise Lambda creates /aws/lambda/<name> itself: never expiring, unencrypted and untagged. Blocks in production, advisory elsewhere.",
  enforcementLevel: "mandatory",
  mandatoryOnlyInProduction: true,
  remediationSteps:
    "Create an aws.cloudwatch.LogGroup named /aws/lambda/<function name> with retentionInDays and kmsKeyId, and point loggingConfig.logGroup at it.",
  resourceTypes: [T.lambdaFunction],
  validate: (judge) => {
    const groups = judge.stack.ofType(T.logGroup);
    judge.each(judge.stack.ofType(T.lambdaFunction), (fn) => {
      const byConfig = judge.stack.referenced(fn, "loggingConfig", groups, []);
      const configured = read(fn.props, "loggingConfig", "logGroup");
      const name = read(fn.props, "name");
      const wanted = new Set<string>();
      // A configured group replaces the default one: the function no longer writes there.
      if (nonEmptyString(configured)) wanted.add(configured);
      else if (nonEmptyString(name)) wanted.add(`/aws/lambda/${name}`);
      const found = [
        ...byConfig,
        ...groups.filter((g) => {
          const n = read(g.props, "name");
          return typeof n === "string" && wanted.has(n);
        }),
      ];
      if (found.length === 0) {
        if (configured === UNKNOWN || name === UNKNOWN) {
          return judge.cannotJudge(
            fn,
            "which log group it writes to: its name is unknown during preview",
          );
        }
        // Now that this blocks in production, a group whose name is not known yet may be its.
        const unnamed = groups.filter((g) => read(g.props, "name") === UNKNOWN);
        if (unnamed.length > 0) {
          return judge.cannotJudge(
            fn,
            `which log group it writes to: the name of ${unnamed.map((g) => `"${g.name}"`).join(", ")} is unknown during preview`,
          );
        }
        return judge.fail(
          fn,
          `no log group of this stack is named ${[...wanted].join(" or ") || "after it"}`,
          "create an aws.cloudwatch.LogGroup /aws/lambda/<function name> with retentionInDays and kmsKeyId, and set loggingConfig.logGroup to it",
        );
      }
      const group = found[0];
      const days = read(group.props, "retentionInDays");
      if (days === UNKNOWN)
        return judge.cannotJudge(
          fn,
          `the retention of log group "${group.name}", unknown during preview`,
        );
      if (typeof days !== "number" || days <= 0) {
        judge.fail(
          fn,
          `its log group "${group.name}" never expires`,
          `set retentionInDays on "${group.name}"`,
        );
      }
    });
  },
});

const permission = resourcePolicy<
  lambda.PermissionArgs,
  {
    servicesRequiringSourceAccount: string[];
    servicesWithoutSourceArn: string[];
    accountIds: string[];
  }
>({
  name: "lambda-permission-scoped",
  description:
    "A Lambda permission names its principal (an account only from accountIds) and, for an AWS service, the source ARN (and, for S3, the source account) allowed to invoke. It never opens a function URL without authentication.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set sourceArn to the rule, topic or bucket that invokes the function (and sourceAccount for S3).",
  config: {
    servicesRequiringSourceAccount: {
      type: "array",
      items: { type: "string", pattern: "\\.amazonaws\\.com$" },
      uniqueItems: true,
      default: ["s3.amazonaws.com"],
      description:
        "Services whose source ARNs carry no account ID, so sourceAccount is required too.",
    },
    servicesWithoutSourceArn: {
      type: "array",
      items: { type: "string", pattern: "\\.amazonaws\\.com$" },
      uniqueItems: true,
      default: [],
      description: "Services allowed to invoke without sourceArn.",
    },
    accountIds: accountList("This account and the other accounts allowed to invoke a function."),
  },
  resource: lambda.Permission,
  validate: (props, judge) => {
    const principal = props.principal;
    if (principal === "*") {
      judge.fail('its principal is "*"', "name the service or account that invokes the function");
    } else if (/^\d{12}$/.test(principal) || principal.startsWith("arn:")) {
      const account = /^\d{12}$/.test(principal) ? principal : arnAccount(principal);
      if (account === undefined || !judge.config.accountIds.includes(account)) {
        judge.fail(
          `it lets ${principal} of another account invoke the function`,
          "name a principal of this account, or add the account to accountIds in policy-config.json",
        );
      }
    } else if (principal.endsWith(".amazonaws.com")) {
      if (
        !judge.config.servicesWithoutSourceArn.includes(principal) &&
        !nonEmptyString(props.sourceArn)
      ) {
        judge.fail(
          `it lets ${principal} invoke on behalf of any resource (no sourceArn), in any account`,
          "set sourceArn to the rule, topic or bucket that invokes the function",
        );
      }
      if (
        judge.config.servicesRequiringSourceAccount.includes(principal) &&
        !nonEmptyString(props.sourceAccount)
      ) {
        judge.fail(
          `it lets ${principal} invoke without sourceAccount, and bucket ARNs carry no account`,
          "set sourceAccount to this account's ID",
        );
      }
    }
    if (props.functionUrlAuthType === "NONE") {
      judge.fail(
        "it opens a function URL without authentication",
        'set functionUrlAuthType: "AWS_IAM"',
      );
    }
  },
});

const functionUrl = resourcePolicy({
  name: "lambda-function-url-authenticated",
  description:
    "A Lambda function URL requires IAM authentication (authorizationType AWS_IAM); NONE lets anyone on the internet invoke the function.",
  enforcementLevel: "mandatory",
  remediationSteps: 'Set authorizationType: "AWS_IAM", or remove the function URL.',
  resource: lambda.FunctionUrl,
  validate: (props, judge) => {
    if (props.authorizationType !== "AWS_IAM") {
      judge.fail(
        `its authorizationType is ${JSON.stringify(props.authorizationType)}, so anyone may invoke the function`,
        'set authorizationType: "AWS_IAM"',
      );
    }
  },
});

export const DEFAULT_SECRET_NAME_PATTERN =
  "(^|_)(PASSWORD|PASSWD|PWD|PASSPHRASE|TOKEN|API_?KEY|ACCESS_KEY|SECRET|SECRET_KEY|PRIVATE_KEY|WEBHOOK|WEBHOOK_URL|CREDENTIALS?)$";
export const DEFAULT_SECRET_VALUE_PATTERNS = [
  "^https://hooks\\.slack\\.com/",
  "^xox[abprs]-",
  "(^|[^A-Z0-9])(AKIA|ASIA)[A-Z0-9]{16}([^A-Z0-9]|$)",
  "-----BEGIN [A-Z ]*PRIVATE KEY-----",
  // A URL or DSN that carries a password: scheme://user:password@host, or password=... pairs.
  "^[A-Za-z][A-Za-z0-9+.-]*://[^/\\s:@]+:[^/\\s@]+@",
  "(^|[;&?\\s])([Pp]assword|PASSWORD|[Pp]wd|PWD|[Pp]asswd|PASSWD)=[^;&\\s]+",
  // GitHub tokens and JSON web tokens.
  "(^|[^A-Za-z0-9])gh[pousr]_[A-Za-z0-9]{36}",
  "^eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.",
];

/** A reference to a secret, not its value: a Secrets Manager, SSM parameter or KMS ARN. */
const SECRET_REFERENCE =
  /^arn:aws[a-z-]*:(secretsmanager|ssm|kms):[a-z0-9-]+:\d{12}:(secret:|parameter\/|key\/|alias\/)/;

const plaintextSecrets = resourcePolicy<
  lambda.FunctionArgs,
  { secretNamePattern: string; secretValuePatterns: string[] }
>({
  name: "lambda-environment-no-plaintext-secrets",
  description:
    "A Lambda function's environment holds no secret value, recognised by the variable's name or by the value itself (a token, key, webhook URL, or a URL or DSN with a password); they end up in the state file and the console. A Secrets Manager, SSM or KMS ARN is a reference, not a secret, and is allowed.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Store the value in Secrets Manager, pass its name (for example SLACK_WEBHOOK_SECRET_NAME) and read it at run time.",
  config: {
    secretNamePattern: {
      type: "string",
      format: "regex",
      minLength: 1,
      default: DEFAULT_SECRET_NAME_PATTERN,
      description:
        "Variable names (case-insensitive regular expression) that suggest a secret value.",
    },
    secretValuePatterns: {
      type: "array",
      items: { type: "string", format: "regex", minLength: 1 },
      default: DEFAULT_SECRET_VALUE_PATTERNS,
      description:
        "Values (regular expressions) that look like secrets whatever the variable's name.",
    },
  },
  resource: lambda.Function,
  validate: (props, judge) => {
    const variables = props.environment?.variables;
    if (!isRecord(variables)) return;
    const byName = new RegExp(judge.config.secretNamePattern, "i");
    const byValue = judge.config.secretValuePatterns.map((p) => new RegExp(p));
    const fix =
      "store the value in Secrets Manager and pass its name (for example <NAME>_SECRET_NAME) instead";
    for (const [name, value] of Object.entries(variables)) {
      if (!nonEmptyString(value) || SECRET_REFERENCE.test(value)) continue;
      if (byName.test(name))
        judge.fail(`environment variable ${name} looks like it holds a secret value`, fix);
      else if (byValue.some((re) => re.test(value)))
        judge.fail(
          `environment variable ${name} holds what looks like a secret (a token, key, password or webhook URL)`,
          fix,
        );
    }
  },
});

const asyncFailures = resourcePolicy<
  lambda.FunctionEventInvokeConfigArgs,
  { maxRetryAttempts: number }
>({
  name: "lambda-async-failure-destination",
  description:
    "A Lambda function's asynchronous invoke config sends events that still fail after a bounded number of retries to a destination, so that they are not silently dropped.",
  enforcementLevel: "advisory",
  remediationSteps:
    "Set destinationConfig.onFailure.destination (a queue or topic) and maximumRetryAttempts.",
  config: {
    maxRetryAttempts: {
      type: "integer",
      minimum: 0,
      maximum: 2,
      default: 2,
      description: "Most retries accepted before an event goes to the failure destination.",
    },
  },
  resource: lambda.FunctionEventInvokeConfig,
  validate: (props, judge) => {
    if (!nonEmptyString(props.destinationConfig?.onFailure?.destination)) {
      judge.fail(
        "failed events go nowhere (no onFailure destination)",
        "set destinationConfig.onFailure.destination to a queue or topic",
      );
    }
    const retries = props.maximumRetryAttempts;
    if (typeof retries === "number" && retries > judge.config.maxRetryAttempts) {
      judge.fail(
        `it retries ${retries} times, more than ${judge.config.maxRetryAttempts}`,
        `set maximumRetryAttempts to at most ${judge.config.maxRetryAttempts}`,
      );
    }
  },
});

export const lambdaPolicies: PackPolicy[] = [
  runtime,
  tracing,
  logGroup,
  permission,
  functionUrl,
  plaintextSecrets,
  asyncFailures,
];
