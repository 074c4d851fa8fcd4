/**
 * Which parquet column types are compatible with each kind of Oracle type (see
 * lib/model/oracleTypes.ts). This is the one table the validation Lambda checks types against.
 */
import type { SchemaElement } from "hyparquet";
import type { MappedType, ValueKind } from "../model/oracleTypes";

interface Compatibility {
  /** What the file must hold, in words, for error messages. */
  readonly expected: string;
  readonly accepts: (column: SchemaElement) => boolean;
}

const DECIMAL_PHYSICAL_TYPES = ["INT32", "INT64", "FIXED_LEN_BYTE_ARRAY", "BYTE_ARRAY"];

export const PARQUET_COMPATIBILITY: Readonly<Record<ValueKind, Compatibility>> = {
  decimal: {
    expected: "DECIMAL over INT32, INT64, FIXED_LEN_BYTE_ARRAY or BYTE_ARRAY",
    accepts: (c) => decimalOf(c) !== undefined && DECIMAL_PHYSICAL_TYPES.includes(c.type ?? ""),
  },
  string: {
    expected: "BYTE_ARRAY annotated STRING (UTF8)",
    accepts: (c) => c.type === "BYTE_ARRAY" && isString(c),
  },
  timestamp: {
    expected: "INT64 TIMESTAMP (MILLIS, MICROS or NANOS) or INT96",
    accepts: (c) => (c.type === "INT64" && timestampUnitOf(c) !== undefined) || c.type === "INT96",
  },
  double: { expected: "DOUBLE", accepts: (c) => c.type === "DOUBLE" && !hasAnnotation(c) },
  float: { expected: "FLOAT", accepts: (c) => c.type === "FLOAT" && !hasAnnotation(c) },
  binary: {
    expected: "BYTE_ARRAY without a string annotation",
    accepts: (c) => c.type === "BYTE_ARRAY" && !hasAnnotation(c),
  },
};

function hasAnnotation(c: SchemaElement): boolean {
  return c.logical_type !== undefined || c.converted_type !== undefined;
}

function isString(c: SchemaElement): boolean {
  return c.logical_type?.type === "STRING" || c.converted_type === "UTF8";
}

/** The precision and scale of a DECIMAL column (logical type, or the legacy converted type). */
export function decimalOf(c: SchemaElement): { precision: number; scale: number } | undefined {
  if (c.logical_type?.type === "DECIMAL") {
    return { precision: c.logical_type.precision, scale: c.logical_type.scale };
  }
  if (c.converted_type === "DECIMAL") return { precision: c.precision ?? 0, scale: c.scale ?? 0 };
  return undefined;
}

function timestampUnitOf(c: SchemaElement): string | undefined {
  if (c.logical_type?.type === "TIMESTAMP") return c.logical_type.unit;
  if (c.converted_type === "TIMESTAMP_MILLIS") return "MILLIS";
  if (c.converted_type === "TIMESTAMP_MICROS") return "MICROS";
  return undefined;
}

/** The column's type as people read it: `INT64 TIMESTAMP(MILLIS)`, `FIXED_LEN_BYTE_ARRAY(9) DECIMAL(20,2)`. */
export function describeParquetType(c: SchemaElement): string {
  if (c.type === undefined) return "a group (nested column)";
  const physical =
    c.type === "FIXED_LEN_BYTE_ARRAY" ? `${c.type}(${c.type_length ?? "?"})` : c.type;
  const decimal = decimalOf(c);
  const unit = timestampUnitOf(c);
  let annotation: string | undefined;
  if (decimal) annotation = `DECIMAL(${decimal.precision},${decimal.scale})`;
  else if (unit) annotation = `TIMESTAMP(${unit})`;
  else if (isString(c)) annotation = "STRING";
  else if (c.logical_type) annotation = c.logical_type.type;
  else if (c.converted_type) annotation = c.converted_type;
  return annotation ? `${physical} ${annotation}` : physical;
}

/** Digits a plain parquet integer always holds. */
const INTEGER_DIGITS: Record<string, number> = { INT32: 9, INT64: 18 };

/**
 * DMS may write a NUMBER(p,0) with a small precision as a plain integer (its INT1/INT2/INT4
 * types) instead of a DECIMAL; both hold the same whole numbers, so either is accepted when
 * the integer type is wide enough for the precision.
 */
function wholeNumberFits(expected: MappedType, c: SchemaElement): boolean {
  const isPlainInteger =
    c.logical_type === undefined
      ? c.converted_type === undefined || /^INT_(8|16|32|64)$/.test(c.converted_type)
      : c.logical_type.type === "INTEGER";
  return (
    expected.kind === "decimal" &&
    expected.scale === 0 &&
    isPlainInteger &&
    (expected.precision ?? 38) <= (INTEGER_DIGITS[c.type ?? ""] ?? 0)
  );
}

/**
 * Why a parquet column cannot hold values of the mapped Oracle type, or undefined when it can.
 * Decimals must keep the scale and fit the precision, or values would change on the way to Glue.
 */
export function typeMismatch(expected: MappedType, column: SchemaElement): string | undefined {
  if (wholeNumberFits(expected, column)) return undefined;
  const rule = PARQUET_COMPATIBILITY[expected.kind];
  if (!rule.accepts(column)) return `expected ${rule.expected}`;
  const decimal = decimalOf(column);
  if (expected.kind === "decimal" && decimal) {
    if (decimal.scale !== expected.scale || decimal.precision > (expected.precision ?? 38)) {
      return `expected DECIMAL with scale ${expected.scale} and precision at most ${expected.precision}`;
    }
  }
  return undefined;
}
