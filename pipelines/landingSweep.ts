import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { functionName } from "../lib/model/naming";
import { type Database, type Environment } from "../lib/model/stacks";

export interface LandingSweepArgs {
  database: Database;
  env: Environment;
  /** The validation Lambda, which sweeps when a scheduled event invokes it. */
  functionArn: pulumi.Input<string>;
  functionName: pulumi.Input<string>;
  /** How often to sweep. Default: rate(1 hour). */
  scheduleExpression?: pulumi.Input<string>;
}

/**
 * The schedule of the landing sweep (pipelines/functions/validate/sweep.ts): EventBridge
 * invokes the validation Lambda with a "Scheduled Event", and the Lambda alerts on objects
 * older than LANDING_MAX_AGE_MINUTES under its database's prefix.
 */
export class LandingSweep extends pulumi.ComponentResource {
  constructor(name: string, args: LandingSweepArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dataeng:pipelines:LandingSweep", name, {}, opts);
    const parent = { parent: this };
    const rule = new aws.cloudwatch.EventRule(
      `${name}-landing-sweep`,
      {
        name: functionName(`${args.database}-landing-sweep`, args.env),
        description: `Look for ${args.database} files left in the landing bucket (${args.env})`,
        scheduleExpression: args.scheduleExpression ?? "rate(1 hour)",
      },
      parent,
    );
    new aws.cloudwatch.EventTarget(
      `${name}-landing-sweep-target`,
      {
        rule: rule.name,
        arn: args.functionArn,
        retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 },
      },
      parent,
    );
    new aws.lambda.Permission(
      `${name}-validate-from-sweep`,
      {
        function: args.functionName,
        action: "lambda:InvokeFunction",
        principal: "events.amazonaws.com",
        sourceArn: rule.arn,
      },
      parent,
    );
    this.registerOutputs({});
  }
}
