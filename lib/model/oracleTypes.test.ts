import {
  mapOracleType,
  normaliseOracleType,
  SUPPORTED_ORACLE_TYPES,
  UnknownOracleTypeError,
  type MappedType,
} from "./oracleTypes";

const decimal = (precision: number, scale: number): MappedType => ({
  glueType: `decimal(${precision},${scale})`,
  kind: "decimal",
  precision,
  scale,
});
const STRING: MappedType = { glueType: "string", kind: "string" };
const TIMESTAMP: MappedType = { glueType: "timestamp", kind: "timestamp" };
const DOUBLE: MappedType = { glueType: "double", kind: "double" };
const FLOAT: MappedType = { glueType: "float", kind: "float" };
const BINARY: MappedType = { glueType: "binary", kind: "binary" };

/** One concrete example of every supported form, and exactly what it must map to. */
const EVERY_FORM: Record<(typeof SUPPORTED_ORACLE_TYPES)[number], [string, MappedType]> = {
  "NUMBER(p,s)": ["NUMBER(10,2)", decimal(10, 2)],
  "NUMBER(p)": ["NUMBER(22)", decimal(22, 0)],
  NUMBER: ["NUMBER", decimal(38, 10)],
  INTEGER: ["INTEGER", decimal(38, 0)],
  FLOAT: ["FLOAT", DOUBLE],
  BINARY_FLOAT: ["BINARY_FLOAT", FLOAT],
  BINARY_DOUBLE: ["BINARY_DOUBLE", DOUBLE],
  "VARCHAR2(n)": ["VARCHAR2(4000)", STRING],
  "NVARCHAR2(n)": ["NVARCHAR2(70)", STRING],
  "CHAR(n)": ["CHAR(1)", STRING],
  "NCHAR(n)": ["NCHAR(3)", STRING],
  CLOB: ["CLOB", STRING],
  NCLOB: ["NCLOB", STRING],
  LONG: ["LONG", STRING],
  DATE: ["DATE", TIMESTAMP],
  "TIMESTAMP(n)": ["TIMESTAMP(6)", TIMESTAMP],
  "TIMESTAMP(n) WITH TIME ZONE": ["TIMESTAMP(6) WITH TIME ZONE", STRING],
  "TIMESTAMP(n) WITH LOCAL TIME ZONE": ["TIMESTAMP(3) WITH LOCAL TIME ZONE", STRING],
  "RAW(n)": ["RAW(16)", BINARY],
  "LONG RAW": ["LONG RAW", BINARY],
  BLOB: ["BLOB", BINARY],
};

const SUPPORTED_LIST =
  "NUMBER(p,s), NUMBER(p), NUMBER, INTEGER, FLOAT, BINARY_FLOAT, BINARY_DOUBLE, VARCHAR2(n), " +
  "NVARCHAR2(n), CHAR(n), NCHAR(n), CLOB, NCLOB, LONG, DATE, TIMESTAMP(n), " +
  "TIMESTAMP(n) WITH TIME ZONE, TIMESTAMP(n) WITH LOCAL TIME ZONE, RAW(n), LONG RAW, BLOB";

function errorOf(type: string): UnknownOracleTypeError {
  try {
    mapOracleType(type);
  } catch (e) {
    expect(e).toBeInstanceOf(UnknownOracleTypeError);
    return e as UnknownOracleTypeError;
  }
  throw new Error(`mapOracleType(${JSON.stringify(type)}) did not throw`);
}

describe("SUPPORTED_ORACLE_TYPES", () => {
  it("is the documented list of 21 forms, in order", () => {
    expect(SUPPORTED_ORACLE_TYPES.join(", ")).toBe(SUPPORTED_LIST);
  });

  it("has an example in this test for every form (a new form needs a mapping test)", () => {
    expect(Object.keys(EVERY_FORM)).toEqual([...SUPPORTED_ORACLE_TYPES]);
  });
});

describe("mapOracleType", () => {
  it.each(Object.entries(EVERY_FORM))("maps %s (%j) exactly", (_form, [type, expected]) => {
    expect(mapOracleType(type)).toStrictEqual(expected);
  });

  it.each<[string, MappedType]>([
    ["NUMBER(*)", decimal(38, 10)],
    ["NUMBER(*,0)", decimal(38, 0)],
    ["NUMBER(*,4)", decimal(38, 4)],
    ["NUMBER(1)", decimal(1, 0)],
    ["NUMBER(38)", decimal(38, 0)],
    ["NUMBER(38,38)", decimal(38, 38)],
    ["NUMBER(5,0)", decimal(5, 0)],
    ["INT", decimal(38, 0)],
    ["SMALLINT", decimal(38, 0)],
    // FLOAT(p) counts binary digits: DMS writes up to 24 as a 4-byte float.
    ["FLOAT(1)", FLOAT],
    ["FLOAT(24)", FLOAT],
    ["FLOAT(25)", DOUBLE],
    ["FLOAT(126)", DOUBLE],
    ["REAL", DOUBLE],
    ["DOUBLE PRECISION", DOUBLE],
    ["VARCHAR2(1)", STRING],
    ["VARCHAR2(32767)", STRING],
    ["VARCHAR2(100 BYTE)", STRING],
    ["VARCHAR2(100 CHAR)", STRING],
    ["NVARCHAR2(2000)", STRING],
    ["CHAR", STRING],
    ["NCHAR", STRING],
    ["CHAR(2000)", STRING],
    ["CHAR(1 BYTE)", STRING],
    ["TIMESTAMP", TIMESTAMP],
    ["TIMESTAMP(0)", TIMESTAMP],
    ["TIMESTAMP(9)", TIMESTAMP],
    ["TIMESTAMP WITH TIME ZONE", STRING],
    ["TIMESTAMP(9) WITH TIME ZONE", STRING],
    ["TIMESTAMP WITH LOCAL TIME ZONE", STRING],
    ["RAW(1)", BINARY],
    ["RAW(2000)", BINARY],
    ["RAW(32767)", BINARY],
  ])("maps the alias or boundary %s to %j", (type, expected) => {
    expect(mapOracleType(type)).toStrictEqual(expected);
  });

  it.each<[string, MappedType]>([
    ["number(10,2)", decimal(10, 2)],
    ["  NUMBER(10,2)\n", decimal(10, 2)],
    ["Number ( 10 , 2 )", decimal(10, 2)],
    ["NUMBER(10, 2)", decimal(10, 2)],
    ["varchar2( 30 char )", STRING],
    ["timestamp (6)  with\ttime   zone", STRING],
    ["Timestamp(3) With Local Time Zone", STRING],
    ["long   raw", BINARY],
    ["binary_double", DOUBLE],
    ["date", TIMESTAMP],
  ])("ignores case and whitespace: %j", (type, expected) => {
    expect(mapOracleType(type)).toStrictEqual(expected);
  });

  it.each([
    "VARCHAR(10)",
    "VARCHAR2",
    "NUMBER(10,2,1)",
    "NUMBER()",
    "XMLTYPE",
    "BFILE",
    "ROWID",
    "INTERVAL DAY(2) TO SECOND(6)",
    "TIMESTAMP(6) WITH ZONE",
    "",
    "   ",
  ])("rejects the unknown type %j, listing the supported forms", (type) => {
    const error = errorOf(type);
    expect(error.message).toBe(`unknown Oracle type "${type}": expected one of ${SUPPORTED_LIST}`);
    expect(error.name).toBe("UnknownOracleTypeError");
    expect(error.oracleType).toBe(type);
    expect(error.reason).toBeUndefined();
  });

  it.each([
    ["NUMBER(50,2)", "NUMBER precision must be 1 to 38, got 50"],
    ["NUMBER(39)", "NUMBER precision must be 1 to 38, got 39"],
    ["NUMBER(0)", "NUMBER precision must be 1 to 38, got 0"],
    ["NUMBER(5,7)", "NUMBER scale must be 0 to the precision (5), got 7"],
    ["NUMBER(5,-2)", "NUMBER scale must be 0 to the precision (5), got -2"],
    ["NUMBER(*,39)", "NUMBER scale must be 0 to the precision (38), got 39"],
    ["FLOAT(0)", "FLOAT precision must be 1 to 126, got 0"],
    ["FLOAT(127)", "FLOAT precision must be 1 to 126, got 127"],
    ["VARCHAR2(0)", "VARCHAR2 length must be 1 to 32767, got 0"],
    ["NVARCHAR2(40000)", "NVARCHAR2 length must be 1 to 32767, got 40000"],
    ["CHAR(2001)", "CHAR length must be 1 to 2000, got 2001"],
    ["NCHAR(0)", "NCHAR length must be 1 to 2000, got 0"],
    ["RAW(32768)", "RAW length must be 1 to 32767, got 32768"],
    ["TIMESTAMP(10)", "TIMESTAMP fractional-seconds precision must be 0 to 9, got 10"],
    [
      "TIMESTAMP(12) WITH TIME ZONE",
      "TIMESTAMP fractional-seconds precision must be 0 to 9, got 12",
    ],
  ])("rejects %s, saying which size is out of range", (type, reason) => {
    const error = errorOf(type);
    expect(error.message).toBe(`unsupported Oracle type "${type}": ${reason}`);
    expect(error.reason).toBe(reason);
    expect(error.oracleType).toBe(type);
  });

  it("names the type as written, not as normalised", () => {
    expect(errorOf(" number(50, 2) ").message).toBe(
      'unsupported Oracle type " number(50, 2) ": NUMBER precision must be 1 to 38, got 50',
    );
  });
});

describe("normaliseOracleType", () => {
  it.each([
    [" number ( 10 , 2 ) ", "NUMBER(10,2)"],
    ["timestamp (6)\twith  local time zone", "TIMESTAMP(6) WITH LOCAL TIME ZONE"],
    ["varchar2(30   char)", "VARCHAR2(30 CHAR)"],
    ["Long Raw", "LONG RAW"],
  ])("writes %j as %j", (type, expected) => {
    expect(normaliseOracleType(type)).toBe(expected);
  });
});
