/**
 * The parquet column AWS DMS writes for an Oracle column, with this repository's S3 target
 * settings (pipelines/replication.ts: parquet, ParquetTimestampInMillisecond=true). Each Oracle
 * type goes through a DMS type on its way to parquet:
 * [O] AWS DMS user guide, "Using an Oracle database as a source", source data types (NUMBER(p,0):
 *     p <= 2 INT1, p <= 4 INT2, p <= 9 INT4, wider NUMERIC; NUMBER(p,s) s > 0 NUMERIC):
 *     https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Source.Oracle.html#CHAP_Source.Oracle.DataTypes
 * [S] AWS DMS user guide, "Using Amazon S3 as a target", data types for Parquet:
 *     https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Target.S3.html#CHAP_Target.S3.DataTypes
 *     Its table could not be read here (as lib/model/oracleTypes.ts notes), so the physical
 *     types follow the same DMS type names in Qlik Replicate's documented Parquet mapping for
 *     its S3 target (help.qlik.com, Replicate, "Amazon S3 target data types"): INT1 INT32 INT(8),
 *     INT2 INT32 INT(16), INT4 INT32, NUMERIC FIXED_LEN_BYTE_ARRAY(16) DECIMAL(p,s), REAL4 FLOAT,
 *     REAL8 DOUBLE, STRING/WSTRING/CLOB/NCLOB BYTE_ARRAY STRING, BYTES/BLOB BYTE_ARRAY.
 * [P] AWS DMS API reference, S3Settings.ParquetTimestampInMillisecond (DATETIME in milliseconds):
 *     https://docs.aws.amazon.com/dms/latest/APIReference/API_S3Settings.html
 * The Glue side of the same mapping is lib/model/oracleTypes.ts; the validation Lambda accepts
 * every element built here (lib/dmsOutput/parquetSchema.test.ts runs its type check on each).
 */
import type { SchemaElement } from "hyparquet";
import { mapOracleType } from "../model/oracleTypes";

/** DMS writes NUMERIC into 16 bytes whatever the precision ([S]). */
export const NUMERIC_BYTES = 16;

export const decimal = (
  name: string,
  type: SchemaElement["type"],
  precision: number,
  scale: number,
  extra: Partial<SchemaElement> = {},
): SchemaElement => ({
  name,
  type,
  converted_type: "DECIMAL",
  precision,
  scale,
  logical_type: { type: "DECIMAL", precision, scale },
  ...extra,
});

export const string = (name: string): SchemaElement => ({
  name,
  type: "BYTE_ARRAY",
  converted_type: "UTF8",
  logical_type: { type: "STRING" },
});

export const timestamp = (name: string, unit: "MILLIS" | "MICROS"): SchemaElement => ({
  name,
  type: "INT64",
  converted_type: unit === "MILLIS" ? "TIMESTAMP_MILLIS" : "TIMESTAMP_MICROS",
  logical_type: { type: "TIMESTAMP", isAdjustedToUTC: false, unit },
});

const smallInteger = (name: string, bits: 8 | 16): SchemaElement => ({
  name,
  type: "INT32",
  converted_type: bits === 8 ? "INT_8" : "INT_16",
  logical_type: { type: "INTEGER", bitWidth: bits, isSigned: true },
});

/** The parquet element of one column, named `name` (the lower-case lake name). */
export function dmsParquetElement(name: string, oracleType: string): SchemaElement {
  const mapped = mapOracleType(oracleType);
  switch (mapped.kind) {
    case "decimal": {
      const precision = mapped.precision ?? 38;
      const scale = mapped.scale ?? 0;
      // [O]: a NUMBER(p,0) of up to 9 digits is an integer type, not NUMERIC.
      if (scale === 0 && precision <= 2) return smallInteger(name, 8);
      if (scale === 0 && precision <= 4) return smallInteger(name, 16);
      if (scale === 0 && precision <= 9) return { name, type: "INT32" };
      return decimal(name, "FIXED_LEN_BYTE_ARRAY", precision, scale, {
        type_length: NUMERIC_BYTES,
      });
    }
    case "double":
      return { name, type: "DOUBLE" };
    case "float":
      return { name, type: "FLOAT" };
    case "string":
      return string(name);
    case "timestamp":
      return timestamp(name, "MILLIS"); // [P]
    case "binary":
      return { name, type: "BYTE_ARRAY" };
  }
}

/** The element's type as a reviewer reads it: `INT32`, `FIXED_LEN_BYTE_ARRAY(16) DECIMAL(12,2)`. */
export function parquetTypeName(e: SchemaElement): string {
  const physical = e.type === "FIXED_LEN_BYTE_ARRAY" ? `${e.type}(${e.type_length})` : e.type;
  const lt = e.logical_type;
  if (!lt) return String(physical);
  if (lt.type === "DECIMAL") return `${physical} DECIMAL(${lt.precision},${lt.scale})`;
  if (lt.type === "TIMESTAMP") return `${physical} TIMESTAMP(${lt.unit})`;
  if (lt.type === "INTEGER") return `${physical} INT(${lt.bitWidth})`;
  return `${physical} ${lt.type}`;
}

/**
 * Why files DMS writes for `to` cannot join the files it wrote for `from` under one parquet
 * schema (the lake's existing files keep their type; Glue reads all of them with the new one),
 * or undefined when they can: same physical type and annotation, and for decimals the same
 * scale (a precision change within the same 16 bytes is compatible).
 */
export function incompatibleRetype(from: string, to: string): string | undefined {
  const a = dmsParquetElement("c", from);
  const b = dmsParquetElement("c", to);
  const decimalA = a.logical_type?.type === "DECIMAL" ? a.logical_type : undefined;
  const decimalB = b.logical_type?.type === "DECIMAL" ? b.logical_type : undefined;
  const same =
    a.type === b.type &&
    a.type_length === b.type_length &&
    a.logical_type?.type === b.logical_type?.type &&
    (decimalA === undefined || decimalA.scale === decimalB?.scale) &&
    (a.logical_type?.type !== "INTEGER" || parquetTypeName(a) === parquetTypeName(b));
  if (same) return undefined;
  return `its parquet type changes from ${parquetTypeName(a)} to ${parquetTypeName(b)}`;
}
