/**
 * The source shapes of one table in a change: which columns, of which types, DMS reads from
 * Oracle before the source change and after it. A column's `transition` (metadata/databases/
 * README.md, "Columns in transition") says what the source has not done yet: an `adding`
 * column is not in the source yet, a `dropping` one is still there.
 */
import { normaliseOracleType } from "../../../lib/model/oracleTypes";
import type {
  ColumnMetadata,
  ColumnTransition,
  TableMetadata,
} from "../../../lib/model/tableMetadata";
import type { SourceShape } from "../../../lib/dmsOutput/files";

/** The column's transition, if the metadata declares one. */
export const transitionOf = (c: ColumnMetadata): ColumnTransition | undefined => c.transition;

export interface Shapes {
  /** What DMS reads before the source change: the base metadata's columns as the source has them. */
  readonly before: SourceShape;
  /** What DMS reads once the source change is done: the head's columns, `dropping` ones gone. */
  readonly after: SourceShape;
  /** The source change between the two, for the reviewer. */
  readonly added: readonly string[];
  readonly dropped: readonly string[];
  readonly retyped: readonly { name: string; from: string; to: string }[];
}

const shape = (table: TableMetadata, columns: ColumnMetadata[]): SourceShape => ({
  primaryKey: table.primaryKey,
  columns: columns.map((c) => ({ name: c.name, type: c.type })),
});

/**
 * The base's columns as the source has them before the change. A base `adding` column is in the
 * source only if the head made it firm (the import found it there); a base `dropping` column is
 * gone only if the head removed it (the import found it gone).
 */
function sourceBefore(base: TableMetadata, head: TableMetadata): ColumnMetadata[] {
  const inHead = new Map(head.columns.map((c) => [c.name, c]));
  return base.columns.filter((c) => {
    const now = inHead.get(c.name);
    switch (transitionOf(c)) {
      case "adding":
        return now !== undefined && transitionOf(now) === undefined;
      case "dropping":
        return now !== undefined;
      default:
        return true;
    }
  });
}

/**
 * The head's columns as the source has them after the change. A transition the base already
 * declared is not this change's: the column keeps the state it had before (an `adding` column
 * still absent, a `dropping` one still there), so that only what this change does is shown.
 */
function sourceAfter(base: TableMetadata | undefined, head: TableMetadata): ColumnMetadata[] {
  const inBase = new Map((base?.columns ?? []).map((c) => [c.name, c]));
  return head.columns.filter((c) => {
    const t = transitionOf(c);
    const was = inBase.get(c.name);
    const pending = t !== undefined && was !== undefined && transitionOf(was) === t;
    if (t === "adding") return !pending;
    if (t === "dropping") return pending;
    return true;
  });
}

export function tableShapes(base: TableMetadata | undefined, head: TableMetadata): Shapes {
  const afterColumns = sourceAfter(base, head);
  const beforeColumns = base ? sourceBefore(base, head) : afterColumns;
  const before = new Map(beforeColumns.map((c) => [c.name, c]));
  const after = new Map(afterColumns.map((c) => [c.name, c]));
  return {
    before: shape(base ?? head, beforeColumns),
    after: shape(head, afterColumns),
    added: afterColumns.filter((c) => !before.has(c.name)).map((c) => c.name),
    dropped: beforeColumns.filter((c) => !after.has(c.name)).map((c) => c.name),
    retyped: afterColumns.flatMap((c) => {
      const was = before.get(c.name);
      return was && normaliseOracleType(was.type) !== normaliseOracleType(c.type)
        ? [{ name: c.name, from: was.type, to: c.type }]
        : [];
    }),
  };
}

/** `the Oracle column TIER exists`, `the Oracle column TIER exists and column SURNAME is dropped`. */
export function sourceChange(s: Shapes): string {
  const parts = [
    ...s.added.map((n) => `column ${n} exists`),
    ...s.dropped.map((n) => `column ${n} is dropped`),
    ...s.retyped.map((r) => `column ${r.name} is ${r.to}`),
  ];
  const list =
    parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
  return `the Oracle ${list}`;
}

export const hasSourceChange = (s: Shapes) =>
  s.added.length + s.dropped.length + s.retyped.length > 0;
