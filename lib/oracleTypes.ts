/**
 * Oracle column types mapped to the Glue/Hive types of the parquet files DMS writes.
 * The validation Lambda checks parquet columns against the same `kind`, so both sides
 * agree on one table.
 */

/** What a column holds once DMS has written it as parquet. */
export type ValueKind = "decimal" | "double" | "float" | "string" | "timestamp" | "binary";

export interface MappedType {
  /** The Glue/Hive column type, for example `decimal(10,2)`. */
  readonly glueType: string;
  readonly kind: ValueKind;
  /** Present for decimals. */
  readonly precision?: number;
  readonly scale?: number;
}

export const SUPPORTED_ORACLE_TYPES = [
  "NUMBER(p,s)",
  "NUMBER(p)",
  "NUMBER",
  "INTEGER",
  "FLOAT",
  "BINARY_FLOAT",
  "BINARY_DOUBLE",
  "VARCHAR2(n)",
  "NVARCHAR2(n)",
  "CHAR(n)",
  "NCHAR(n)",
  "CLOB",
  "NCLOB",
  "LONG",
  "DATE",
  "TIMESTAMP(n)",
  "TIMESTAMP(n) WITH TIME ZONE",
  "TIMESTAMP(n) WITH LOCAL TIME ZONE",
  "RAW(n)",
  "LONG RAW",
  "BLOB",
] as const;

export class UnknownOracleTypeError extends Error {
  constructor(
    readonly oracleType: string,
    reason = `expected one of ${SUPPORTED_ORACLE_TYPES.join(", ")}`,
  ) {
    super(`unknown Oracle type "${oracleType}"; ${reason}`);
    this.name = "UnknownOracleTypeError";
  }
}

const decimal = (precision: number, scale: number): MappedType => ({
  glueType: `decimal(${precision},${scale})`,
  kind: "decimal",
  precision,
  scale,
});
const simple = (glueType: string, kind: ValueKind): MappedType => ({ glueType, kind });

/** Ordered rules; the first pattern that matches the upper-cased, trimmed type wins. */
const RULES: ReadonlyArray<[RegExp, (m: RegExpMatchArray) => MappedType]> = [
  [/^NUMBER\((\d+),\s*(-?\d+)\)$/, (m) => numberType(Number(m[1]), Number(m[2]))],
  [/^NUMBER\((\d+)\)$/, (m) => numberType(Number(m[1]), 0)],
  // Without precision DMS writes NUMBER as NUMERIC(38,10) (the endpoint's NumberDataTypeScale).
  [/^NUMBER(\(\*\))?$/, () => decimal(38, 10)],
  [/^(INTEGER|INT|SMALLINT)$/, () => decimal(38, 0)],
  [/^(FLOAT(\(\d+\))?|BINARY_DOUBLE|DOUBLE PRECISION|REAL)$/, () => simple("double", "double")],
  [/^BINARY_FLOAT$/, () => simple("float", "float")],
  [
    /^(N?VARCHAR2\(\d+( BYTE| CHAR)?\)|N?CHAR(\(\d+( BYTE| CHAR)?\))?|N?CLOB|LONG)$/,
    () => simple("string", "string"),
  ],
  [/^(DATE|TIMESTAMP(\(\d\))?)$/, () => simple("timestamp", "timestamp")],
  // DMS delivers TIMESTAMP WITH TIME ZONE as text, which keeps the offset.
  [/^TIMESTAMP(\(\d\))? WITH TIME ZONE$/, () => simple("string", "string")],
  [/^TIMESTAMP(\(\d\))? WITH LOCAL TIME ZONE$/, () => simple("timestamp", "timestamp")],
  [/^(RAW\(\d+\)|LONG RAW|BLOB)$/, () => simple("binary", "binary")],
];

function numberType(precision: number, scale: number): MappedType {
  if (precision < 1 || precision > 38 || scale < 0 || scale > precision) {
    throw new RangeError("NUMBER precision must be 1 to 38 and scale 0 to the precision");
  }
  return decimal(precision, scale);
}

export function mapOracleType(oracleType: string): MappedType {
  const normalised = oracleType.trim().toUpperCase().replace(/\s+/g, " ");
  for (const [pattern, map] of RULES) {
    const m = normalised.match(pattern);
    if (m) {
      try {
        return map(m);
      } catch (e) {
        throw new UnknownOracleTypeError(oracleType, (e as Error).message);
      }
    }
  }
  throw new UnknownOracleTypeError(oracleType);
}
