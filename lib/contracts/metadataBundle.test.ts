import { OFFENDER_TABLE, OFFENDER_TABLE_JSON } from "../testing/parquetFiles";
import {
  METADATA_BUNDLE_FORMAT,
  METADATA_BUNDLE_VERSION,
  MetadataBundleError,
  metadataBundleText,
  parseMetadataBundle,
} from "./metadataBundle";
import { metadataBundleKey } from "./lakeKeys";

const WHERE = "s3://meta/databases/delius.json";
const json = (v: unknown) => JSON.stringify(v);
const envelope = { format: METADATA_BUNDLE_FORMAT, version: 1, database: "delius" };

test("a database's bundle lives at databases/<database>.json", () => {
  expect(metadataBundleKey("delius")).toBe("databases/delius.json");
  expect(metadataBundleKey("oasys")).toBe("databases/oasys.json");
});

test("the bundle holds each table file's content in order, in a versioned envelope, pretty-printed", () => {
  const court = json({ ...OFFENDER_TABLE, name: "COURT_ORDER" });
  const text = metadataBundleText("delius", [`\uFEFF${court}`, OFFENDER_TABLE_JSON]);
  expect(text.endsWith("}\n")).toBe(true);
  expect(text.split("\n")[1]).toBe(`  "format": "dataeng-metadata-bundle",`);
  expect(JSON.parse(text)).toEqual({
    format: "dataeng-metadata-bundle",
    version: METADATA_BUNDLE_VERSION,
    database: "delius",
    tables: [JSON.parse(court), OFFENDER_TABLE],
  });
  const tables = parseMetadataBundle(WHERE, text, "delius");
  expect([...tables.keys()]).toEqual(["court_order", "offender"]);
  expect(tables.get("offender")).toMatchObject({
    ok: true,
    table: { name: "OFFENDER", database: "delius", primaryKey: ["OFFENDER_ID"] },
  });
});

test("a bad table entry is kept as invalid with its problems; the others still read", () => {
  const text = json({
    ...envelope,
    tables: [{ ...OFFENDER_TABLE, name: "BROKEN", columns: [] }, OFFENDER_TABLE],
  });
  const tables = parseMetadataBundle(WHERE, text, "delius");
  expect(tables.get("broken")).toEqual({
    ok: false,
    detail: expect.stringMatching(/^columns: expected at least one column/),
  });
  expect(tables.get("offender")?.ok).toBe(true);
});

test.each([
  [
    "not JSON",
    "{",
    /^the metadata bundle s3:\/\/meta\/databases\/delius\.json is not valid JSON \(.+\); publish it again with the metadata project \(metadata-<env>\)$/,
  ],
  [
    "another format",
    json({ ...envelope, format: "x", tables: "no" }),
    "the metadata bundle s3://meta/databases/delius.json is not a dataeng-metadata-bundle object (bad or missing: format, tables); publish it again with the metadata project (metadata-<env>)",
  ],
  [
    "another version",
    json({ ...envelope, version: 2, tables: [] }),
    "the metadata bundle s3://meta/databases/delius.json has version 2, but this reader knows version 1 only; deploy the validation function (pipelines) and the metadata project from the same commit, then replay the files it failed (npm run replay)",
  ],
  [
    "another database",
    json({ ...envelope, database: "oasys", tables: [] }),
    `the metadata bundle s3://meta/databases/delius.json holds the database "oasys", not "delius"; publish it again with the metadata project (metadata-<env>)`,
  ],
])("a bundle that is %s is refused with what, where and what to do", (_what, text, message) => {
  expect(() => parseMetadataBundle(WHERE, text, "delius")).toThrow(MetadataBundleError);
  expect(() => parseMetadataBundle(WHERE, text, "delius")).toThrow(message);
});
