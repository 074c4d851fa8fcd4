/** The pure parts of the validation: type compatibility, the checks' exact messages, events. */
import type { SchemaElement } from "hyparquet";
import { parseTableFile } from "../model/tableMetadata";
import { mapOracleType, type ValueKind } from "../model/oracleTypes";
import {
  checkColumnsPresent,
  checkColumnTypes,
  checkRows,
  checkUnknownColumns,
  rowRules,
  type ParquetColumn,
} from "./checks";
import { objectsFromEvent } from "./event";
import { describeParquetType, PARQUET_COMPATIBILITY, typeMismatch } from "./parquetTypes";
import { OFFENDER_TABLE_JSON, offenderColumns } from "../testing/parquetFiles";

const table = parseTableFile("databases/delius/offender.json", OFFENDER_TABLE_JSON, "delius");
const fileColumns = (): ParquetColumn[] =>
  [...offenderColumns().values()].map((c) => ({ name: c.element.name, element: c.element }));
const el = (e: Omit<SchemaElement, "name">): SchemaElement => ({ name: "c", ...e });

describe("parquet types compatible with each kind", () => {
  const cases: [string, SchemaElement, ValueKind[]][] = [
    [
      "INT32 DECIMAL",
      el({ type: "INT32", logical_type: { type: "DECIMAL", precision: 5, scale: 0 } }),
      ["decimal"],
    ],
    [
      "INT64 DECIMAL (converted type only)",
      el({ type: "INT64", converted_type: "DECIMAL", precision: 10, scale: 0 }),
      ["decimal"],
    ],
    [
      "FIXED_LEN_BYTE_ARRAY DECIMAL",
      el({
        type: "FIXED_LEN_BYTE_ARRAY",
        type_length: 6,
        converted_type: "DECIMAL",
        precision: 12,
        scale: 2,
      }),
      ["decimal"],
    ],
    [
      "BYTE_ARRAY DECIMAL",
      el({ type: "BYTE_ARRAY", logical_type: { type: "DECIMAL", precision: 38, scale: 10 } }),
      ["decimal"],
    ],
    ["plain INT64", el({ type: "INT64" }), []],
    ["BYTE_ARRAY UTF8", el({ type: "BYTE_ARRAY", converted_type: "UTF8" }), ["string"]],
    ["BYTE_ARRAY STRING", el({ type: "BYTE_ARRAY", logical_type: { type: "STRING" } }), ["string"]],
    ["BYTE_ARRAY JSON", el({ type: "BYTE_ARRAY", converted_type: "JSON" }), []],
    ["plain BYTE_ARRAY", el({ type: "BYTE_ARRAY" }), ["binary"]],
    [
      "INT64 TIMESTAMP_MILLIS",
      el({ type: "INT64", converted_type: "TIMESTAMP_MILLIS" }),
      ["timestamp"],
    ],
    [
      "INT64 TIMESTAMP(NANOS)",
      el({
        type: "INT64",
        logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "NANOS" },
      }),
      ["timestamp"],
    ],
    ["INT96", el({ type: "INT96" }), ["timestamp"]],
    ["INT32 DATE", el({ type: "INT32", converted_type: "DATE" }), []],
    ["DOUBLE", el({ type: "DOUBLE" }), ["double"]],
    ["FLOAT", el({ type: "FLOAT" }), ["float"]],
    ["BOOLEAN", el({ type: "BOOLEAN" }), []],
    ["a group", el({ num_children: 2 }), []],
  ];
  test.each(cases)("%s", (_what, element, kinds) => {
    const accepted = (Object.keys(PARQUET_COMPATIBILITY) as ValueKind[]).filter((k) =>
      PARQUET_COMPATIBILITY[k].accepts(element),
    );
    expect(accepted).toEqual(kinds);
  });

  test("descriptions name the physical type and the annotation", () => {
    expect(cases.map(([, e]) => describeParquetType(e))).toEqual([
      "INT32 DECIMAL(5,0)",
      "INT64 DECIMAL(10,0)",
      "FIXED_LEN_BYTE_ARRAY(6) DECIMAL(12,2)",
      "BYTE_ARRAY DECIMAL(38,10)",
      "INT64",
      "BYTE_ARRAY STRING",
      "BYTE_ARRAY STRING",
      "BYTE_ARRAY JSON",
      "BYTE_ARRAY",
      "INT64 TIMESTAMP(MILLIS)",
      "INT64 TIMESTAMP(NANOS)",
      "INT96",
      "INT32 DATE",
      "DOUBLE",
      "FLOAT",
      "BOOLEAN",
      "a group (nested column)",
    ]);
  });

  test("decimals keep the scale and fit the precision", () => {
    const dec = (precision: number, scale: number) =>
      el({ type: "INT64", converted_type: "DECIMAL", precision, scale });
    expect(typeMismatch(mapOracleType("NUMBER(10,2)"), dec(10, 2))).toBeUndefined();
    expect(typeMismatch(mapOracleType("NUMBER(10,2)"), dec(9, 2))).toBeUndefined();
    expect(typeMismatch(mapOracleType("NUMBER(10,2)"), dec(12, 2))).toBe(
      "expected DECIMAL with scale 2 and precision at most 10",
    );
    expect(typeMismatch(mapOracleType("NUMBER(10,2)"), dec(10, 0))).toBe(
      "expected DECIMAL with scale 2 and precision at most 10",
    );
    // DMS may write small whole-number NUMBERs as plain integers: accepted where they fit.
    expect(typeMismatch(mapOracleType("NUMBER(1)"), el({ type: "INT32" }))).toBeUndefined();
    expect(
      typeMismatch(mapOracleType("NUMBER(9,0)"), el({ type: "INT32", converted_type: "INT_8" })),
    ).toBeUndefined();
    expect(typeMismatch(mapOracleType("NUMBER(18)"), el({ type: "INT64" }))).toBeUndefined();
    expect(typeMismatch(mapOracleType("NUMBER(10)"), el({ type: "INT32" }))).toBe(
      "expected DECIMAL over INT32, INT64, FIXED_LEN_BYTE_ARRAY or BYTE_ARRAY",
    );
    expect(typeMismatch(mapOracleType("NUMBER(5,2)"), el({ type: "INT32" }))).toBe(
      "expected DECIMAL over INT32, INT64, FIXED_LEN_BYTE_ARRAY or BYTE_ARRAY",
    );
    expect(typeMismatch(mapOracleType("DATE"), dec(10, 0))).toBe(
      "expected INT64 TIMESTAMP (MILLIS, MICROS or NANOS) or INT96",
    );
  });
});

describe("checks", () => {
  test("a file as DMS writes it passes every check", () => {
    const columns = fileColumns();
    expect(checkColumnsPresent(table, columns)).toBeUndefined();
    expect(checkColumnTypes(table, columns)).toBeUndefined();
    expect(checkUnknownColumns(table, columns, "fail")).toEqual({});
    const rules = rowRules(table, "LOAD00000001.parquet");
    expect(checkRows(table, rules, new Map())).toEqual([]);
  });

  test("the columns DMS adds are required, each with where it comes from", () => {
    const columns = fileColumns().filter((c) => !["Op", "scn"].includes(c.name));
    expect(checkColumnsPresent(table, columns)).toEqual({
      check: "columns-present",
      message:
        "missing column op, which DMS adds to every file: the S3 target endpoint writes Op (IncludeOpForFullLoad for " +
        "full load; pipelines/dmsPipeline.ts); check that the task runs with this repository's endpoint settings and " +
        "table mappings; missing column scn, which DMS adds to every file: the table mapping's add-column rule adds it " +
        "(streamPositionRules in pipelines/tableMappings.ts); check that the task runs with this repository's endpoint " +
        "settings and table mappings",
    });
  });

  test("extraction_timestamp as a parquet TIMESTAMP is refused: DMS writes a string", () => {
    const columns = fileColumns().map((c) =>
      c.name === "extraction_timestamp"
        ? {
            name: c.name,
            element: el({
              type: "INT64",
              logical_type: { type: "TIMESTAMP", isAdjustedToUTC: false, unit: "MILLIS" },
            }),
          }
        : c,
    );
    expect(checkColumnTypes(table, columns)?.message).toBe(
      "1 column of delius.offender has an incompatible type: extraction_timestamp (added by DMS) is INT64 " +
        "TIMESTAMP(MILLIS), expected BYTE_ARRAY annotated STRING (UTF8); correct the type in " +
        "metadata/databases/delius/offender.json or the DMS endpoint settings",
    );
  });

  test("row rules: CDC files need a stream position, full-load files do not", () => {
    const names = (file: string) => rowRules(table, file).map((r) => [r.check, r.column]);
    expect(names("LOAD0000000A.parquet")).toEqual([
      ["primary-key-not-null", "offender_id"],
      ["operation-values", "op"],
      ["timestamp-format", "extraction_timestamp"],
    ]);
    expect(names("20261127-1200000000.parquet")).toEqual([
      ...names("LOAD0000000A.parquet"),
      ["stream-position", "scn"],
    ]);
    const [, op, ts, scn] = rowRules(table, "20261127-1200000000.parquet");
    expect(["I", "U", "D"].map(op.accepts)).toEqual([true, true, true]);
    expect(["i", "X", "", null, "UPDATE"].map(op.accepts)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(ts.accepts("2026-11-27 12:00:00.123456")).toBe(true);
    expect(ts.accepts("2026-11-27T12:00:00.123Z")).toBe(false);
    expect(["8123456789", "", " ", null].map(scn.accepts)).toEqual([true, false, false, false]);
  });

  test("column names compare case-insensitively (DMS writes Op)", () => {
    const columns = fileColumns().map((c) => ({
      ...c,
      name: c.name === "Op" ? "OP" : c.name.toUpperCase(),
    }));
    expect(checkColumnsPresent(table, columns)).toBeUndefined();
    expect(checkUnknownColumns(table, columns, "fail")).toEqual({});
  });

  test("one missing column", () => {
    expect(
      checkColumnsPresent(
        table,
        fileColumns().filter((c) => c.name !== "photo"),
      ),
    ).toEqual({
      check: "columns-present",
      message:
        "missing column photo: the metadata of delius.offender lists it but the file has no such column; check the DMS table " +
        "mapping, or remove it from metadata/databases/delius/offender.json if the source table dropped it",
    });
  });

  test("a DMS column with the wrong type is reported too", () => {
    const columns = fileColumns().map((c) =>
      c.name === "Op" ? { name: "Op", element: { name: "Op", type: "INT32" as const } } : c,
    );
    expect(checkColumnTypes(table, columns)).toEqual({
      check: "column-types",
      message:
        "1 column of delius.offender has an incompatible type: Op (added by DMS) is INT32, expected BYTE_ARRAY annotated " +
        "STRING (UTF8); correct the type in metadata/databases/delius/offender.json or the DMS endpoint settings",
    });
  });

  test("unknown columns: fail or warn", () => {
    const columns = [
      ...fileColumns(),
      { name: "a", element: { name: "a", type: "INT32" as const } },
      { name: "b", element: { name: "b", type: "INT32" as const } },
    ];
    expect(checkUnknownColumns(table, columns, "fail")).toEqual({
      failure: {
        check: "no-unknown-columns",
        message:
          "unknown 2 columns a, b: not in the metadata of delius.offender; add them to metadata/databases/delius/offender.json, " +
          "or set UNKNOWN_COLUMNS=warn to let such files through",
      },
    });
    expect(checkUnknownColumns(table, columns, "warn")).toEqual({
      warning:
        "unknown 2 columns a, b: not in the metadata of delius.offender; add them to metadata/databases/delius/offender.json " +
        "(UNKNOWN_COLUMNS=warn let the file through)",
    });
  });

  test("null keys: count and the first five rows", () => {
    const rules = rowRules(table, "LOAD00000001.parquet");
    const offences = new Map([
      [rules[0], { count: 7, firstRows: [0, 3, 4, 8, 9], examples: Array(5).fill("null") }],
    ]);
    expect(checkRows(table, rules, offences)).toEqual([
      {
        check: "primary-key-not-null",
        message:
          "primary-key column of delius.offender: offender_id has 7 null values (rows 0, 3, 4, 8, 9, ...); DMS should never " +
          "write a null key: check the source rows and the primary key in metadata/databases/delius/offender.json",
      },
    ]);
  });

  test("bad Op values: count, rows and the values", () => {
    const rules = rowRules(table, "LOAD00000001.parquet");
    const offences = new Map([
      [rules[1], { count: 2, firstRows: [1, 2], examples: ['"X"', "null"] }],
    ]);
    expect(checkRows(table, rules, offences)).toEqual([
      {
        check: "operation-values",
        message:
          'delius.offender: op has 2 values not I, U or D (rows 1, 2: "X", null); DMS writes only I, U and D in Op: ' +
          "the file was not written by this task's S3 endpoint",
      },
    ]);
  });
});

describe("events", () => {
  test("the creation time comes from the event (EventBridge time, S3 eventTime)", () => {
    const [bridge] = objectsFromEvent({
      source: "aws.s3",
      "detail-type": "Object Created",
      time: "2026-11-27T12:00:00Z",
      detail: { bucket: { name: "land" }, object: { key: "delius/offender/LOAD00000001.parquet" } },
    });
    expect(bridge.time).toEqual(new Date("2026-11-27T12:00:00Z"));
    const [record] = objectsFromEvent({
      Records: [
        {
          eventName: "ObjectCreated:Put",
          eventTime: "2026-11-27T12:00:00.123Z",
          s3: { bucket: { name: "land" }, object: { key: "delius/offender/LOAD00000001.parquet" } },
        },
      ],
    });
    expect(record.time).toEqual(new Date("2026-11-27T12:00:00.123Z"));
  });

  test("EventBridge Object Created and S3 notifications", () => {
    expect(
      objectsFromEvent({
        source: "aws.s3",
        "detail-type": "Object Created",
        detail: {
          bucket: { name: "land" },
          object: { key: "oasys/assessment/LOAD00000001.parquet", size: 42 },
        },
      }),
    ).toEqual([{ bucket: "land", keys: ["oasys/assessment/LOAD00000001.parquet"], size: 42 }]);
    expect(
      objectsFromEvent({
        Records: [
          {
            eventName: "ObjectCreated:Put",
            s3: { bucket: { name: "land" }, object: { key: "delius/a/b+c%3D1.parquet" } },
          },
          {
            eventName: "ObjectRemoved:Delete",
            s3: { bucket: { name: "land" }, object: { key: "delius/a/x.parquet" } },
          },
        ],
      }),
    ).toEqual([
      {
        bucket: "land",
        keys: ["delius/a/b c=1.parquet", "delius/a/b+c%3D1.parquet"],
        size: undefined,
      },
    ]);
  });

  test("anything else is refused with what was expected", () => {
    expect(() => objectsFromEvent({ hello: "world" })).toThrow(
      'Unrecognised event: expected an EventBridge S3 "Object Created" event (detail.bucket.name, detail.object.key) or an ' +
        'S3 notification (Records[].s3); got {"hello":"world"}. Check the trigger of this function.',
    );
  });
});
