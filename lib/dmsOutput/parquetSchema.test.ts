import { mapOracleType } from "../model/oracleTypes";
import { typeMismatch } from "../validation/parquetTypes";
import { dmsParquetElement, incompatibleRetype, parquetTypeName } from "./parquetSchema";

describe("dmsParquetElement", () => {
  it.each([
    ["NUMBER(2)", "INT32 INT(8)"],
    ["NUMBER(4)", "INT32 INT(16)"],
    ["NUMBER(9)", "INT32"],
    ["NUMBER(10)", "FIXED_LEN_BYTE_ARRAY(16) DECIMAL(10,0)"],
    ["NUMBER(12,2)", "FIXED_LEN_BYTE_ARRAY(16) DECIMAL(12,2)"],
    ["NUMBER", "FIXED_LEN_BYTE_ARRAY(16) DECIMAL(38,10)"],
    ["INTEGER", "FIXED_LEN_BYTE_ARRAY(16) DECIMAL(38,0)"],
    ["BINARY_FLOAT", "FLOAT"],
    ["BINARY_DOUBLE", "DOUBLE"],
    ["VARCHAR2(4)", "BYTE_ARRAY STRING"],
    ["CLOB", "BYTE_ARRAY STRING"],
    ["DATE", "INT64 TIMESTAMP(MILLIS)"],
    ["TIMESTAMP(6)", "INT64 TIMESTAMP(MILLIS)"],
    ["TIMESTAMP(6) WITH TIME ZONE", "BYTE_ARRAY STRING"],
    ["RAW(16)", "BYTE_ARRAY"],
    ["BLOB", "BYTE_ARRAY"],
  ])("writes %s as %s, which the validation accepts for that Oracle type", (oracle, parquet) => {
    const element = dmsParquetElement("c", oracle);
    expect(parquetTypeName(element)).toBe(parquet);
    expect(typeMismatch(mapOracleType(oracle), element)).toBeUndefined();
  });
});

describe("incompatibleRetype", () => {
  it("accepts a retype that keeps the parquet type", () => {
    expect(incompatibleRetype("VARCHAR2(10)", "VARCHAR2(40)")).toBeUndefined();
    expect(incompatibleRetype("NUMBER(10,2)", "NUMBER(14,2)")).toBeUndefined();
    expect(incompatibleRetype("DATE", "TIMESTAMP(6)")).toBeUndefined();
  });

  it("names the parquet types of a retype DMS cannot write into the existing schema", () => {
    expect(incompatibleRetype("VARCHAR2(10)", "NUMBER(10)")).toBe(
      "its parquet type changes from BYTE_ARRAY STRING to FIXED_LEN_BYTE_ARRAY(16) DECIMAL(10,0)",
    );
    expect(incompatibleRetype("NUMBER(5)", "NUMBER(10)")).toBe(
      "its parquet type changes from INT32 to FIXED_LEN_BYTE_ARRAY(16) DECIMAL(10,0)",
    );
    expect(incompatibleRetype("NUMBER(10,2)", "NUMBER(10,4)")).toBe(
      "its parquet type changes from FIXED_LEN_BYTE_ARRAY(16) DECIMAL(10,2) to FIXED_LEN_BYTE_ARRAY(16) DECIMAL(10,4)",
    );
    expect(incompatibleRetype("NUMBER(2)", "NUMBER(4)")).toBe(
      "its parquet type changes from INT32 INT(8) to INT32 INT(16)",
    );
  });
});
