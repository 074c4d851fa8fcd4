import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { lambdaCode } from "../bundle";
import { assumedBy, policyDocument, type Statement } from "../iam";

/** The Lambda runtime every function uses; lib/infra/bundle.ts targets the same Node.js version. */
export const LAMBDA_RUNTIME = aws.lambda.Runtime.NodeJS22dX;

export interface NodeLambdaArgs {
  /** The function name, also used for its log group. */
  functionName: pulumi.Input<string>;
  /** TypeScript entry, relative to the repository root; it exports `handler`. */
  entry: string;
  description: pulumi.Input<string>;
  /** Environment variables. Default: none. */
  environment?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** What the function may do, beyond writing its own logs and traces. Default: nothing. */
  statements?: pulumi.Input<pulumi.Input<Statement>[]>;
  /** KMS key for the log group and the environment variables. */
  kmsKeyArn: pulumi.Input<string>;
  /** Days to keep the function's logs (the caller's config holds the default). */
  logRetentionDays: pulumi.Input<number>;
  /** Seconds before an invocation times out. Default: 60. */
  timeout?: pulumi.Input<number>;
  /** Memory in MB. Default: 512. */
  memorySize?: pulumi.Input<number>;
  /** The AWS account, to scope the role's trust policy. Default: not scoped. */
  accountId?: pulumi.Input<string>;
  /**
   * SNS topic or SQS queue that receives an asynchronous invocation which still failed after
   * Lambda's two retries (the role must be allowed to send to it). Default: none.
   */
  onFailureDestinationArn?: pulumi.Input<string>;
}

/**
 * A Node.js Lambda bundled from TypeScript, with its own role, an encrypted log group with
 * retention, X-Ray tracing and JSON logs.
 */
export class NodeLambda extends pulumi.ComponentResource {
  public readonly function: aws.lambda.Function;
  public readonly role: aws.iam.Role;
  public readonly logGroup: aws.cloudwatch.LogGroup;
  public readonly arn: pulumi.Output<string>;
  public readonly name: pulumi.Output<string>;

  constructor(name: string, args: NodeLambdaArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dataeng:compute:NodeLambda", name, {}, opts);

    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      {
        name: pulumi.interpolate`/aws/lambda/${args.functionName}`,
        retentionInDays: args.logRetentionDays,
        kmsKeyId: args.kmsKeyArn,
      },
      { parent: this },
    );
    this.role = new aws.iam.Role(
      `${name}-role`,
      { assumeRolePolicy: assumedBy("lambda.amazonaws.com", args.accountId) },
      { parent: this },
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: this.role.id,
        policy: pulumi
          .all([this.logGroup.arn, pulumi.output(args.statements ?? []), args.kmsKeyArn])
          .apply(([logGroupArn, statements, kmsKeyArn]) =>
            policyDocument([
              {
                Sid: "WriteOwnLogs",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: `${logGroupArn}:*`,
              },
              {
                Sid: "DecryptEnvironment",
                Effect: "Allow",
                Action: ["kms:Decrypt"],
                Resource: kmsKeyArn,
              },
              ...statements,
            ]),
          ),
      },
      { parent: this },
    );
    const tracing = new aws.iam.RolePolicyAttachment(
      `${name}-xray`,
      { role: this.role.name, policyArn: aws.iam.ManagedPolicy.AWSXRayDaemonWriteAccess },
      { parent: this },
    );
    this.function = new aws.lambda.Function(
      `${name}-function`,
      {
        name: args.functionName,
        description: args.description,
        runtime: LAMBDA_RUNTIME,
        handler: "index.handler",
        code: lambdaCode(args.entry),
        role: this.role.arn,
        timeout: args.timeout ?? 60,
        memorySize: args.memorySize ?? 512,
        kmsKeyArn: args.kmsKeyArn,
        tracingConfig: { mode: "Active" },
        loggingConfig: { logFormat: "JSON", logGroup: this.logGroup.name },
        environment: args.environment ? { variables: args.environment } : undefined,
      },
      // The role must carry its permissions before the first invocation.
      { parent: this, dependsOn: [policy, tracing] },
    );
    if (args.onFailureDestinationArn) {
      new aws.lambda.FunctionEventInvokeConfig(
        `${name}-invoke-config`,
        {
          functionName: this.function.name,
          maximumRetryAttempts: 2,
          destinationConfig: { onFailure: { destination: args.onFailureDestinationArn } },
        },
        { parent: this },
      );
    }
    this.arn = this.function.arn;
    this.name = this.function.name;
    this.registerOutputs({ arn: this.arn, name: this.name });
  }
}
