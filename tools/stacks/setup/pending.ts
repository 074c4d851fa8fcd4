/**
 * Pending operations: what a killed `pulumi up` leaves in its checkpoint, and the way out.
 *
 * The engine records an operation before it asks the provider and removes it when the answer
 * comes (pkg/backend/snapshot.go markOperationPending, v3.248.0). A killed run leaves them in
 * the checkpoint's `checkpoint.latest.pending_operations`: `{resource, type}` with type
 * `creating`, `updating`, `deleting`, `reading` (sdk/go/common/apitype/core.go OperationV2,
 * OperationType) or `importing` (sdk/go/common/resource/resource_operation.go).
 *
 * - Any refresh drops the pending updates, deletes and reads, and reads the real state back:
 *   a snapshot keeps only the base's pending `creating` ops (pkg/backend/journal.go "Track
 *   pending create operations from the base snapshot").
 * - A pending create stays until someone decides (deployment_executor.go
 *   printPendingOperationsWarning). `pulumi refresh --clear-pending-creates` drops them
 *   (pkg/cmd/pulumi/operations/refresh.go, filterMapPendingCreates). Its
 *   `--import-pending-creates <URN> <ID>` only relabels the op `importing`, which the next
 *   snapshot then drops too, the resource not added (journal.go above; checked with the real
 *   CLI in tools/realCli/resilience.real-cli.test.ts): so a create that reached AWS is imported
 *   with `pulumi import` (pkg/cmd/pulumi/operations/import.go), whose Read by the resource's id
 *   also says whether it exists (step.go ImportStep: "resource '<id>' does not exist").
 */
import { urnResource } from "../pulumi/events";

export type PendingKind = "creating" | "updating" | "deleting" | "reading" | "importing";

export interface PendingOperation {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly op: PendingKind;
  /** The inputs the engine sent (a create's inputs name the resource in AWS). */
  readonly inputs: Record<string, unknown>;
  readonly parent?: string;
  readonly provider?: string;
  /** The id AWS gives it, when its inputs and the rest of the state name it (`awsIdOf`). */
  readonly awsId?: string;
}

export interface CheckpointFacts {
  readonly pending: PendingOperation[];
  /** URNs in the state. */
  readonly urns: Set<string>;
}

const KINDS = new Set<string>(["creating", "updating", "deleting", "reading", "importing"]);

/** The pending operations and URNs of a self-managed backend's checkpoint file (`.pulumi/stacks/...json`). */
export function readCheckpoint(text: string, where: string): CheckpointFacts {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(
      `${where} is not valid JSON (${(e as Error).message}): the checkpoint is damaged; restore it from the bucket's versions`,
    );
  }
  const latest = (doc as { checkpoint?: { latest?: Record<string, unknown> } })?.checkpoint?.latest;
  const resources = Array.isArray(latest?.resources) ? (latest.resources as StateResource[]) : [];
  const ops = Array.isArray(latest?.pending_operations)
    ? (latest.pending_operations as { type?: unknown; resource?: Record<string, unknown> }[])
    : [];
  const pending = ops.map((o, i) => {
    const urn = o.resource?.urn;
    if (typeof urn !== "string" || typeof o.type !== "string" || !KINDS.has(o.type)) {
      throw new Error(
        `${where}: pending_operations[${i}] has no resource URN or an unknown type ${JSON.stringify(o.type)}`,
      );
    }
    const named = urnResource(urn);
    const type = named?.resourceType ?? String(o.resource?.type);
    const inputs = (o.resource?.inputs ?? {}) as Record<string, unknown>;
    const awsId = idFrom(ID_RULES[type]?.(inputs, resources));
    return {
      urn,
      type,
      name: named?.resourceName ?? urn,
      op: o.type as PendingKind,
      inputs,
      ...(typeof o.resource?.parent === "string" ? { parent: o.resource.parent } : {}),
      ...(typeof o.resource?.provider === "string" ? { provider: o.resource.provider } : {}),
      ...(awsId !== undefined ? { awsId } : {}),
    };
  });
  return { pending, urns: new Set(resources.map((r) => String(r.urn))) };
}

/**
 * The id a resource gets in AWS from its inputs, when AWS names it by them, per the provider's
 * read/import (terraform-provider-aws at the version pulumi-aws 7 bridges). Undefined when the
 * id is made by AWS (a KMS key id, a queue URL from a generated name): such a pending create
 * cannot be looked up and needs a person (the console, CloudTrail's Create* events).
 */
const ID_RULES: Record<
  string,
  (inputs: Record<string, unknown>, state: readonly StateResource[]) => unknown
> = {
  // internal/service/s3/object.go: d.SetId(key)
  "aws:s3/bucketObjectv2:BucketObjectv2": (i) => i.key,
  // internal/service/glue/catalog_table.go: d.SetId(createTableID(catalogID, dbName, name)),
  // "<catalog>:<database>:<table>"; the catalog defaults to the account's, which the state holds
  // in its Glue database's id (catalog_database.go: createDatabaseID, "<catalog>:<database>").
  "aws:glue/catalogTable:CatalogTable": (i, state) => {
    const catalog = i.catalogId ?? catalogOf(i.databaseName, state);
    return typeof catalog === "string" && typeof i.databaseName === "string"
      ? `${catalog}:${i.databaseName}:${String(i.name)}`
      : undefined;
  },
  // internal/service/cloudwatch/metric_alarm.go: d.SetId(name)
  "aws:cloudwatch/metricAlarm:MetricAlarm": (i) => i.name,
  // internal/service/iam/role.go: d.SetId(roleName)
  "aws:iam/role:Role": (i) => i.name,
};

/** A resource of the checkpoint, as much as the id rules read. */
interface StateResource {
  readonly urn?: unknown;
  readonly type?: unknown;
  readonly id?: unknown;
  readonly inputs?: Record<string, unknown>;
}

/** The catalog of the Glue database named `database` in the state: its id's first part. */
function catalogOf(database: unknown, state: readonly StateResource[]): string | undefined {
  const db = state.find(
    (r) => r.type === "aws:glue/catalogDatabase:CatalogDatabase" && r.inputs?.name === database,
  );
  const id = typeof db?.id === "string" ? db.id : "";
  return id.endsWith(`:${String(database)}`)
    ? id.slice(0, -String(database).length - 1)
    : undefined;
}

const idFrom = (id: unknown) => (typeof id === "string" && id !== "" ? id : undefined);

/** The id AWS names a pending create by (read with the rest of the state), or undefined. */
export function awsIdOf(op: PendingOperation): string | undefined {
  const rule = ID_RULES[op.type];
  return rule ? (op.awsId ?? idFrom(rule(op.inputs, []))) : undefined;
}

/** One line per operation for doctor and recover: resource, operation and what recover does with it. */
export function describePending(op: PendingOperation): string {
  const what = `${op.type} ${op.name} (${op.op})`;
  if (op.op !== "creating")
    return `${what}: a refresh reads it back from AWS and drops the operation`;
  const id = awsIdOf(op);
  return id
    ? `${what}: imported as ${id} if AWS has it, else dropped`
    : `${what}: AWS names it itself, so it cannot be looked up; check AWS, delete any copy, then recover drops it`;
}
