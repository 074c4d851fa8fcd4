/**
 * The resources of two offline plans (`plan --json`, base and head) paired by URN, with their
 * inputs on each side, for the table summary. Only the types the summary reads are kept.
 */
import { metadataBundleKey } from "../../../lib/contracts/lakeKeys";
import { metadataBundleText } from "../../../lib/contracts/metadataBundle";
import { loadDatabase, metadataRoot, tableSource } from "../../../lib/model/metadataFiles";
import { DATABASES, parseStackName } from "../../../lib/model/stacks";
import { MetadataError } from "../../../lib/model/tableMetadata";
import { DMS_TASK_TYPE } from "../../../pipelines/review";
import { type PlanDocument } from "../engine/diff";
import { replacingInputs } from "../engine/review";
import { GLUE_TABLE_TYPE, METADATA_OBJECT_TYPE, type ResourceSides } from "./tableState";
import { rawChanges } from "./values";

const READ = new Set([METADATA_OBJECT_TYPE, GLUE_TABLE_TYPE, DMS_TASK_TYPE]);

/** Metadata bundles' text by object key (`databases/<db>.json`), per side. */
export type MetadataContents = ReadonlyMap<string, string>;

/**
 * The metadata bundle of every database under a checkout's metadata folder, as the metadata
 * project builds it, by the key it publishes it at: the objects' inputs carry a
 * content-addressed asset (its hash), not the text. A folder that does not load gives none
 * (the data check reports why).
 */
export function metadataContents(root: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const db of DATABASES) {
    try {
      const files = loadDatabase(db, metadataRoot(root)).map(tableSource);
      out.set(metadataBundleKey(db), metadataBundleText(db, files));
    } catch (e) {
      if (!(e instanceof MetadataError)) throw e;
    }
  }
  return out;
}

export function resourcesFromPlans(
  base: PlanDocument,
  head: PlanDocument,
  contents?: { readonly before: MetadataContents; readonly after: MetadataContents },
): ResourceSides[] {
  const sides = new Map<string, ResourceSides>();
  const failed = new Set(
    [...base.stacks, ...head.stacks].filter((s) => s.status === "failed").map((s) => s.stack),
  );
  for (const [doc, side] of [
    [base, "before"],
    [head, "after"],
  ] as const) {
    for (const s of doc.stacks) {
      // A stack either side could not plan is not compared (the diff says so).
      if (failed.has(s.stack)) continue;
      for (const r of s.resources ?? []) {
        if (!READ.has(r.type) || !r.inputs) continue;
        const known = sides.get(r.urn) ?? {
          stack: s.stack,
          type: r.type,
          name: r.name,
          urn: r.urn,
        };
        // A metadata bundle published from an asset: its text from that side's files.
        const text =
          r.type === METADATA_OBJECT_TYPE && r.inputs.content === undefined
            ? contents?.[side].get(String(r.inputs.key))
            : undefined;
        sides.set(r.urn, { ...known, [side]: text ? { ...r.inputs, content: text } : r.inputs });
      }
    }
  }
  return [...sides.values()].map((r) => {
    if (!r.before || !r.after) return r;
    const inputs = [
      ...new Set(rawChanges(r.before, r.after).map((c) => /^[^.[{]+/.exec(c.path)?.[0] ?? c.path)),
    ];
    return { ...r, replacedBy: replacingInputs(r.type, inputs) ?? [] };
  });
}

/** The environment a stack name (`<project>-<env>`) names. */
export const envOfStack = (stack: string) => parseStackName(stack)?.env;
