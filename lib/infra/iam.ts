/** Small builders for IAM policy documents, so that statements read the same everywhere. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export type Statement = aws.iam.PolicyStatement;

/** A trust policy that lets exactly one AWS service assume the role. */
export function assumedBy(
  service: string,
  sourceAccount?: pulumi.Input<string>,
): pulumi.Output<string> {
  return pulumi.output(sourceAccount).apply((account) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: service },
          Action: "sts:AssumeRole",
          ...(account ? { Condition: { StringEquals: { "aws:SourceAccount": account } } } : {}),
        },
      ],
    }),
  );
}

/** A policy document from statements whose values may be Outputs. */
export function policyDocument(
  statements: pulumi.Input<pulumi.Input<Statement>[]>,
): pulumi.Output<string> {
  return pulumi
    .output(statements)
    .apply((s) => JSON.stringify({ Version: "2012-10-17", Statement: s }));
}
