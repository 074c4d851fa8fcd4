/** The lake key layout: landing keys as DMS writes them, raw-history keys of reloads. */
import {
  alertClaimKeyFor,
  alertClaimPrefixFor,
  landingPrefix,
  parseLandingKey,
  rawHistoryKey,
  reasonKeyFor,
} from "./lakeKeys";

describe("landing keys", () => {
  test("landing keys", () => {
    expect(parseLandingKey("delius/offender/20261127-120000000.parquet")).toEqual({
      ok: true,
      database: "delius",
      table: "offender",
      file: "20261127-120000000.parquet",
    });
    expect(parseLandingKey("nomis/offender/LOAD00000001.parquet")).toEqual({
      ok: false,
      database: "nomis",
      table: "offender",
      message:
        'the key "nomis/offender/LOAD00000001.parquet" names the database "nomis", which is not one of delius, oasys; ' +
        "only DMS output for those databases belongs in the landing bucket",
    });
    expect(parseLandingKey("delius/OFFENDER/LOAD00000001.parquet")).toMatchObject({
      ok: false,
      message:
        'the key "delius/OFFENDER/LOAD00000001.parquet" names the table "OFFENDER", which is not a lower-case Oracle table ' +
        "name; check the DMS table mapping's rename rules",
    });
    expect(parseLandingKey("delius/LOAD00000001.parquet")).toMatchObject({
      ok: false,
      database: "delius",
      table: null,
    });
  });
});

describe("raw-history keys", () => {
  const at = new Date("2026-11-27T12:00:00.250Z");
  test("a full-load file gets the time it was created as an infix; the DMS counter stays", () => {
    expect(rawHistoryKey("delius/offender/LOAD00000001.parquet", at)).toBe(
      "delius/offender/LOAD-20261127T120000250Z-00000001.parquet",
    );
    expect(rawHistoryKey("oasys/assessment/LOAD0000001A.parquet", at)).toBe(
      "oasys/assessment/LOAD-20261127T120000250Z-0000001A.parquet",
    );
  });
  test("a reload a second later gets another key; CDC files keep DMS's name", () => {
    const later = new Date(at.getTime() + 1000);
    expect(rawHistoryKey("delius/offender/LOAD00000001.parquet", later)).not.toBe(
      rawHistoryKey("delius/offender/LOAD00000001.parquet", at),
    );
    expect(rawHistoryKey("delius/offender/20261127-1200000000.parquet", at)).toBe(
      "delius/offender/20261127-1200000000.parquet",
    );
    expect(rawHistoryKey("delius/offender/LOAD1.parquet", at)).toBe(
      "delius/offender/LOAD1.parquet",
    );
  });
});

describe("the fail bucket's keys beside a failed file", () => {
  const key = "delius/offender/LOAD00000001.parquet";
  test("the reason, and the alert claim of one landing object", () => {
    expect(reasonKeyFor(key)).toBe("delius/offender/LOAD00000001.parquet.reason.json");
    expect(alertClaimKeyFor(key, new Date("2026-12-01T09:00:00.250Z"))).toBe(
      "delius/offender/LOAD00000001.parquet.alerted-20261201T090000250Z",
    );
  });
  test("every claim of a key starts with its prefix, and no claim of another key does", () => {
    const claim = alertClaimKeyFor(key, new Date());
    expect(claim.startsWith(alertClaimPrefixFor(key))).toBe(true);
    expect(claim.startsWith(alertClaimPrefixFor("delius/offender/LOAD0000000.parquet"))).toBe(
      false,
    );
  });
});

test("a database's and a table's prefix", () => {
  expect(landingPrefix("delius")).toBe("delius/");
  expect(landingPrefix("delius", "offender")).toBe("delius/offender/");
  const parsed = parseLandingKey(`${landingPrefix("oasys", "assessment")}LOAD00000001.parquet`);
  expect(parsed).toMatchObject({ ok: true, database: "oasys", table: "assessment" });
});
