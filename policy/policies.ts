/**
 * Every policy of the pack, one module per AWS service. index.ts builds the PolicyPack from this
 * list; the offline runner and the tests import it (never index.ts, which starts a gRPC server).
 */
import { type PackPolicy } from "./common";
import { accessPolicies } from "./access";
import { cloudwatchPolicies } from "./cloudwatch";
import { everyTypeJudged } from "./coverage";
import { exemptionTagsValid } from "./exemptionTags";
import { regionPolicies } from "./region";
import { dmsPolicies } from "./dms";
import { ec2Policies } from "./ec2";
import { gluePolicies } from "./glue";
import { iamPolicies } from "./iam";
import { kmsPolicies } from "./kms";
import { lambdaPolicies } from "./lambda";
import { providerPolicies } from "./provider";
import { s3Policies } from "./s3";
import { schedulerPolicies } from "./scheduler";
import { secretsManagerPolicies } from "./secretsmanager";
import { snsPolicies } from "./sns";
import { sqsPolicies } from "./sqs";
import { stackPolicies } from "./stack";

export type { PackPolicy } from "./common";

export const policies: readonly PackPolicy[] = [
  ...providerPolicies,
  ...stackPolicies,
  ...s3Policies,
  ...kmsPolicies,
  ...iamPolicies,
  ...accessPolicies,
  ...dmsPolicies,
  ...lambdaPolicies,
  ...snsPolicies,
  ...sqsPolicies,
  ...cloudwatchPolicies,
  ...secretsManagerPolicies,
  ...ec2Policies,
  ...gluePolicies,
  ...schedulerPolicies,
  ...regionPolicies,
  everyTypeJudged(() => policies),
  exemptionTagsValid(() => policies),
];

export const policiesByName: ReadonlyMap<string, PackPolicy> = new Map(
  policies.map((p) => [p.name, p]),
);
