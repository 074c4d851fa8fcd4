/**
 * Oracle column types mapped to the Glue/Hive types of the parquet files DMS writes.
 * The validation Lambda checks parquet columns against the same `kind`, so both sides
 * agree on one table. metadata/databases/README.md shows it too; keep the two in step.
 *
 * Each Oracle type goes through a DMS type on its way to parquet. Sources:
 * [O] AWS DMS user guide, "Using an Oracle database as a source", source data types:
 *     https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Source.Oracle.html#CHAP_Source.Oracle.DataTypes
 *     (checked 2026-12-01 against its older copy, CHAP_Reference.Source.Oracle.DataTypes.html;
 *     NUMBER without precision: the Oracle endpoint setting NumberDatatypeScale, default 10)
 * [S] AWS DMS user guide, "Using Amazon S3 as a target", data types for Parquet:
 *     https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Target.S3.html#CHAP_Target.S3.DataTypes
 *     (its parquet table could not be fetched on 2026-12-01; that column is as first written)
 * [P] AWS DMS API reference, S3Settings.ParquetTimestampInMillisecond (TIMESTAMP unit):
 *     https://docs.aws.amazon.com/dms/latest/APIReference/API_S3Settings.html
 *
 * | Oracle                              | DMS type [O]                          | parquet [S]                   | Glue         |
 * | ----------------------------------- | ------------------------------------- | ----------------------------- | ------------ |
 * | NUMBER(p,s), s > 0                  | NUMERIC(p,s)                          | DECIMAL(p,s)                  | decimal(p,s) |
 * | NUMBER(p), NUMBER(p,0)              | p <= 2 INT1, <= 4 INT2, <= 9 INT4, else NUMERIC | INT32, or DECIMAL(p,0) | decimal(p,0) |
 * | NUMBER(p,s), s < 0 (refused here)   | REAL8                                 | DOUBLE                        | -            |
 * | NUMBER, NUMBER(*)                   | NUMERIC(38,10) (NumberDataTypeScale)  | DECIMAL(38,10)                | decimal(38,10) |
 * | FLOAT(p) p <= 24, BINARY_FLOAT      | REAL4                                 | FLOAT                         | float        |
 * | FLOAT, FLOAT(p) p > 24, BINARY_DOUBLE, REAL | REAL8                       | DOUBLE                        | double       |
 * | VARCHAR2, CHAR / NVARCHAR2, NCHAR   | STRING / WSTRING                      | STRING                        | string       |
 * | CLOB, NCLOB, LONG                   | CLOB / NCLOB                          | STRING                        | string       |
 * | DATE, TIMESTAMP(n)                  | DATETIME                              | TIMESTAMP (ms with [P] true)  | timestamp    |
 * | TIMESTAMP(n) WITH TIME ZONE         | STRING                                | STRING                        | string       |
 * | TIMESTAMP(n) WITH LOCAL TIME ZONE   | STRING                                | STRING                        | string       |
 * | RAW(n)                              | BYTES                                 | BINARY (BYTE_ARRAY)           | binary       |
 * | BLOB, LONG RAW                      | BLOB                                  | BINARY (BYTE_ARRAY)           | binary       |
 *
 * Integers: DMS may write a NUMBER(p,0) as a plain INT32/INT64 instead of a DECIMAL; the
 * validator accepts either when the integer is wide enough (lib/validation/parquetTypes.ts).
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

/**
 * The type forms a metadata file may use, as Oracle's data dictionary writes them
 * (p = precision, s = scale, n = length or fractional-seconds precision). Aliases are also
 * accepted: NUMBER(*), NUMBER(*,s), INT, SMALLINT, FLOAT(p), REAL, DOUBLE PRECISION,
 * CHAR and NCHAR without a length, and VARCHAR2(n BYTE|CHAR) / CHAR(n BYTE|CHAR).
 */
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

/**
 * Thrown for a type that is not an Oracle type we map (`reason` omitted), or for a known type
 * whose size is out of range (`reason` says which part and the allowed range).
 */
export class UnknownOracleTypeError extends Error {
  constructor(
    readonly oracleType: string,
    readonly reason?: string,
  ) {
    super(
      reason === undefined
        ? `unknown Oracle type "${oracleType}": expected one of ${SUPPORTED_ORACLE_TYPES.join(", ")}`
        : `unsupported Oracle type "${oracleType}": ${reason}`,
    );
    this.name = "UnknownOracleTypeError";
  }
}

/** A size outside the range Oracle (or Glue) allows; mapOracleType wraps it. */
class OutOfRange extends Error {}

/** Oracle's limits, with extended data types (MAX_STRING_SIZE=EXTENDED) for VARCHAR2 and RAW. */
const LIMITS = {
  numberPrecision: [1, 38],
  floatPrecision: [1, 126],
  varcharLength: [1, 32767],
  charLength: [1, 2000],
  rawLength: [1, 32767],
  fractionalSeconds: [0, 9],
} as const satisfies Record<string, readonly [number, number]>;

function inRange(value: number, [min, max]: readonly [number, number], what: string): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new OutOfRange(`${what} must be ${min} to ${max}, got ${value}`);
  }
  return value;
}

const decimal = (precision: number, scale: number): MappedType => ({
  glueType: `decimal(${precision},${scale})`,
  kind: "decimal",
  precision,
  scale,
});
const simple = (glueType: string, kind: ValueKind): MappedType => ({ glueType, kind });
const STRING = simple("string", "string");
const TIMESTAMP = simple("timestamp", "timestamp");
const DOUBLE = simple("double", "double");
const FLOAT = simple("float", "float");
const BINARY = simple("binary", "binary");

function numberType(precision: number, scale: number): MappedType {
  inRange(precision, LIMITS.numberPrecision, "NUMBER precision");
  // Glue's decimal(p,s) needs 0 <= s <= p; DMS writes any other NUMBER as a double.
  if (scale < 0 || scale > precision) {
    throw new OutOfRange(`NUMBER scale must be 0 to the precision (${precision}), got ${scale}`);
  }
  return decimal(precision, scale);
}

const sized = (m: RegExpMatchArray, limits: readonly [number, number], mapped: MappedType) => {
  inRange(Number(m[2]), limits, `${m[1]} length`);
  return mapped;
};

/** Ordered rules; the first pattern that matches the normalised type wins. */
const RULES: ReadonlyArray<[RegExp, (m: RegExpMatchArray) => MappedType]> = [
  [/^NUMBER\((\d+),(-?\d+)\)$/, (m) => numberType(Number(m[1]), Number(m[2]))],
  [/^NUMBER\((\d+)\)$/, (m) => numberType(Number(m[1]), 0)],
  [/^NUMBER\(\*,(-?\d+)\)$/, (m) => numberType(38, Number(m[1]))],
  // Without precision DMS writes NUMBER as NUMERIC(38,10) (the endpoint's NumberDataTypeScale).
  [/^NUMBER(\(\*\))?$/, () => decimal(38, 10)],
  // INTEGER is Oracle's NUMBER(38).
  [/^(INTEGER|INT|SMALLINT)$/, () => decimal(38, 0)],
  // FLOAT(p) counts binary digits: DMS writes p <= 24 as REAL4, anything wider as REAL8.
  [
    /^FLOAT\((\d+)\)$/,
    (m) => (inRange(Number(m[1]), LIMITS.floatPrecision, "FLOAT precision") <= 24 ? FLOAT : DOUBLE),
  ],
  [/^(FLOAT|BINARY_DOUBLE|DOUBLE PRECISION|REAL)$/, () => DOUBLE],
  [/^BINARY_FLOAT$/, () => FLOAT],
  [/^(N?VARCHAR2)\((\d+)(?: BYTE| CHAR)?\)$/, (m) => sized(m, LIMITS.varcharLength, STRING)],
  [/^(N?CHAR)\((\d+)(?: BYTE| CHAR)?\)$/, (m) => sized(m, LIMITS.charLength, STRING)],
  [/^(N?CHAR|N?CLOB|LONG)$/, () => STRING],
  [/^DATE$/, () => TIMESTAMP],
  [/^(TIMESTAMP)\((\d+)\)$/, (m) => fractional(m, TIMESTAMP)],
  [/^TIMESTAMP$/, () => TIMESTAMP],
  // DMS delivers both TIMESTAMP WITH TIME ZONE and WITH LOCAL TIME ZONE as STRING [O].
  [/^(TIMESTAMP)(?:\((\d+)\))? WITH (?:LOCAL )?TIME ZONE$/, (m) => fractional(m, STRING)],
  [/^(RAW)\((\d+)\)$/, (m) => sized(m, LIMITS.rawLength, BINARY)],
  [/^(LONG RAW|BLOB)$/, () => BINARY],
];

function fractional(m: RegExpMatchArray, mapped: MappedType): MappedType {
  if (m[2] !== undefined) {
    inRange(Number(m[2]), LIMITS.fractionalSeconds, "TIMESTAMP fractional-seconds precision");
  }
  return mapped;
}

/**
 * The canonical spelling of a type: trimmed, upper case, single spaces, no spaces inside
 * parentheses (` number ( 10 , 2 ) ` becomes `NUMBER(10,2)`).
 */
export function normaliseOracleType(oracleType: string): string {
  return oracleType
    .trim()
    .toUpperCase()
    .replace(/\s+/g, " ")
    .replace(/ ?\( ?/g, "(")
    .replace(/ ?, ?/g, ",")
    .replace(/ ?\)/g, ")");
}

/**
 * Maps an Oracle column type (any case and spacing) to its Glue type and value kind.
 * @throws UnknownOracleTypeError for a type that is not supported or a size out of range.
 */
export function mapOracleType(oracleType: string): MappedType {
  const normalised = normaliseOracleType(oracleType);
  for (const [pattern, map] of RULES) {
    const m = normalised.match(pattern);
    if (m) {
      try {
        return map(m);
      } catch (e) {
        if (e instanceof OutOfRange) throw new UnknownOracleTypeError(oracleType, e.message);
        throw e;
      }
    }
  }
  throw new UnknownOracleTypeError(oracleType);
}
