/**
 * The words the red-team cases are written in: which resource (type token and logical name) and
 * what happens to it, as a function of its inputs. Inputs may be Outputs, so every edit of a
 * value goes through `pulumi.output(...).apply`, which keeps the value's dependencies.
 */
import * as pulumi from "@pulumi/pulumi";
import { type Change, type Program, type Target } from "./harness";

/** Type tokens of the resources the cases change. */
export const T = {
  provider: "pulumi:providers:aws",
  key: "aws:kms/key:Key",
  bucket: "aws:s3/bucket:Bucket",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  encryption:
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  logging: "aws:s3/bucketLogging:BucketLogging",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  topic: "aws:sns/topic:Topic",
  topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
  subscription: "aws:sns/topicSubscription:TopicSubscription",
  queue: "aws:sqs/queue:Queue",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  function: "aws:lambda/function:Function",
  permission: "aws:lambda/permission:Permission",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  eventTarget: "aws:cloudwatch/eventTarget:EventTarget",
  metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  glueDatabase: "aws:glue/catalogDatabase:CatalogDatabase",
  glueTable: "aws:glue/catalogTable:CatalogTable",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  sourceEndpoint: "aws:dms/endpoint:Endpoint",
  targetEndpoint: "aws:dms/s3Endpoint:S3Endpoint",
  instance: "aws:dms/replicationInstance:ReplicationInstance",
  dmsPipeline: "dataeng:pipelines:DmsPipeline",
  sourceDatabase: "dataeng:glue:SourceDatabase",
} as const;

export const target = (type: string, name: string | RegExp): Target => ({ type, name });

/** The resource's inputs changed by `mutate`. */
export const inputs = (
  type: string,
  name: string | RegExp,
  ...mutate: ((props: pulumi.Inputs) => pulumi.Inputs)[]
): Change => ({
  kind: "inputs",
  target: target(type, name),
  mutate: (props) => mutate.reduce((p, m) => m(p), props),
});

export const options = (
  type: string,
  name: string,
  mutate: (opts: pulumi.ResourceOptions) => pulumi.ResourceOptions,
): Change => ({ kind: "options", target: target(type, name), mutate });

export const add = (construct: (program: Program) => void): Change => ({
  kind: "add",
  add: construct,
});

export const remove = (type: string, name: string | RegExp): Change => ({
  kind: "remove",
  target: target(type, name),
});

export const retype = (
  type: string,
  name: string,
  newType: string,
  mutate?: (props: pulumi.Inputs) => pulumi.Inputs,
): Change => ({ kind: "retype", target: { type, name }, type: newType, mutate });

// --- Mutations of inputs

/** Sets inputs (over what the program gave). */
export const set =
  (values: pulumi.Inputs) =>
  (props: pulumi.Inputs): pulumi.Inputs => ({ ...props, ...values });

/** Leaves inputs out. */
export const omit =
  (...keys: string[]) =>
  (props: pulumi.Inputs): pulumi.Inputs =>
    Object.fromEntries(Object.entries(props).filter(([k]) => !keys.includes(k)));

/** One input replaced by a function of its resolved value (and of all the resolved inputs). */
export const update =
  <V>(key: string, edit: (value: V, resolved: Record<string, unknown>) => unknown) =>
  (props: pulumi.Inputs): pulumi.Inputs => ({
    ...props,
    [key]: pulumi
      .output(props)
      .apply((resolved: Record<string, unknown>) => edit(resolved[key] as V, resolved)),
  });

export interface Statement {
  [key: string]: unknown;
}

/** The statements of a JSON policy input (`policy`, `assumeRolePolicy`) edited. */
export const statements = (
  edit: (statements: Statement[], resolved: Record<string, unknown>) => Statement[],
  key = "policy",
) =>
  update<string>(key, (text, resolved) => {
    const doc = JSON.parse(text) as { Statement: Statement[] };
    return JSON.stringify({ ...doc, Statement: edit(doc.Statement, resolved) });
  });

/** A statement added to a JSON policy input. */
export const addStatement = (statement: Statement, key = "policy") =>
  statements((all) => [...all, statement], key);

/** The statement with this Sid edited (throws if the policy has none: the case is stale). */
export const editStatement = (sid: string, edit: (s: Statement) => Statement, key = "policy") =>
  statements((all) => {
    if (!all.some((s) => s.Sid === sid))
      throw new Error(`no statement with Sid ${sid} in the ${key}; update the red-team case`);
    return all.map((s) => (s.Sid === sid ? edit(s) : s));
  }, key);

/** A whole JSON policy document with these statements. */
export const document = (...statement: Statement[]) =>
  JSON.stringify({ Version: "2012-10-17", Statement: statement });

/** Tags added to a resource's own tags. */
export const tags = (added: Record<string, string>) =>
  update<Record<string, string> | undefined>("tags", (own) => ({ ...own, ...added }));

/** A Lambda function's environment variables changed. */
export const environment = (variables: Record<string, string>) =>
  update<{ variables?: Record<string, string> }>("environment", (env) => ({
    ...env,
    variables: { ...env?.variables, ...variables },
  }));
