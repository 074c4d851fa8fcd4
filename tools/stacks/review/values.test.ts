import { REDACTED } from "../engine/inputs";
import { compactValue, formatValueChange, valueChanges } from "./values";

const lines = (a: unknown, b: unknown) => valueChanges(a, b).map(formatValueChange);

describe("valueChanges", () => {
  it("shows each changed key of JSON held in a string, before → after", () => {
    const settings = (lob: number) =>
      JSON.stringify({ TargetMetadata: { LobMaxSize: lob, SupportLobs: true }, Logging: {} });
    expect(
      lines(
        { replicationTaskSettings: settings(64), migrationType: "full-load-and-cdc" },
        { replicationTaskSettings: settings(128), migrationType: "full-load-and-cdc" },
      ),
    ).toEqual(["replicationTaskSettings.TargetMetadata.LobMaxSize: 64 → 128"]);
  });

  it("names array items by their name key: an added item is one line, a changed one its keys", () => {
    const column = (name: string, type: string) => ({ name, type, nullable: true });
    expect(
      lines(
        { content: JSON.stringify({ columns: [column("A", "DATE"), column("B", "NUMBER(5)")] }) },
        {
          content: JSON.stringify({
            columns: [column("A", "DATE"), column("TIER", "VARCHAR2(4)"), column("B", "NUMBER(9)")],
          }),
        },
      ),
    ).toEqual([
      'content.columns{TIER}: + {"name":"TIER","type":"VARCHAR2(4)","nullable":true}',
      'content.columns{B}.type: "NUMBER(5)" → "NUMBER(9)"',
    ]);
    // DMS rules are named by rule-name; renumbered rule-ids show as such.
    const rule = (name: string, id: string) => ({ "rule-name": name, "rule-id": id });
    expect(
      lines(
        { rules: [rule("include-a", "1"), rule("lower", "2")] },
        { rules: [rule("include-a", "1"), rule("include-b", "2"), rule("lower", "3")] },
      ),
    ).toEqual([
      'rules{include-b}: + {"rule-name":"include-b","rule-id":"2"}',
      'rules{lower}["rule-id"]: "2" → "3"',
    ]);
  });

  it("compares unnamed items in order: inserted and removed items only", () => {
    expect(lines({ a: [1, 2, 3] }, { a: [1, 9, 2, 3] })).toEqual(["a[1]: + 9"]);
    expect(lines({ a: [1, 2, 3] }, { a: [1, 3] })).toEqual(["a[1]: - 2"]);
    expect(lines({ a: [1, 2, 3] }, { a: [1, 5, 3, 4] })).toEqual(["a[1]: 2 → 5", "a[3]: + 4"]);
    expect(lines({ a: [1, 2] }, { a: [1, 7] })).toEqual(["a[1]: 2 → 7"]);
  });

  it("reports added and removed inputs, and nothing for equal values", () => {
    expect(lines({ a: 1 }, { b: "x" })).toEqual(["a: - 1", 'b: + "x"']);
    expect(lines({ a: [{ b: "x" }] }, { a: [{ b: "x" }] })).toEqual([]);
  });

  it("masks secrets and secure: values, and never shows which secret changed", () => {
    expect(lines({ password: REDACTED }, { password: REDACTED })).toEqual([]);
    expect(lines({ token: "plain" }, { token: REDACTED })).toEqual([
      `token: "plain" → "${REDACTED}"`,
    ]);
    expect(lines({ c: "secure:AAAb1" }, { c: "secure:AAAb2" })).toEqual([
      `c: "${REDACTED}" → "${REDACTED}"`,
    ]);
    const wire = {
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      value: "x",
    };
    expect(lines({ s: "a" }, { s: wire })).toEqual([`s: "a" → "${REDACTED}"`]);
    expect(compactValue({ webhook: { secure: "v1:abc" }, name: "n" })).toBe(
      `{"webhook":"${REDACTED}","name":"n"}`,
    );
  });
});

describe("compactValue", () => {
  it("elides long text and large values, saying how large they were", () => {
    expect(compactValue("x".repeat(500))).toBe(`"${"x".repeat(90)}"… (500 characters)`);
    expect(compactValue("line 1\nline 2\nline 3")).toBe("(text, 3 lines, 20 characters)");
    const big = Array.from({ length: 40 }, (_, i) => i * 1000);
    const shown = compactValue(big);
    expect(shown).toMatch(/^\[0,1000,2000,.*… \(40 items\)$/);
    expect(shown.length).toBeLessThanOrEqual(120);
    expect(compactValue(64)).toBe("64");
    expect(compactValue("64")).toBe('"64"');
  });
});
