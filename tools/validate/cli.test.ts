/** `npm run validate` on real parquet files in a temporary folder, with exact output and exit codes. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { clearMetadataCache } from "../../lib/model/metadataFiles";
import { OFFENDER_TABLE_JSON, offenderFile } from "../../lib/testing/parquetFiles";
import { main } from "./cli";

let dir: string;
const saved = process.env.DATAENG_METADATA_ROOT;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "validate-cli-"));
  fs.mkdirSync(path.join(dir, "metadata", "delius"), { recursive: true });
  fs.writeFileSync(path.join(dir, "metadata", "delius", "offender.json"), OFFENDER_TABLE_JSON);
  process.env.DATAENG_METADATA_ROOT = path.join(dir, "metadata");
  clearMetadataCache();
  fs.writeFileSync(path.join(dir, "LOAD00000001.parquet"), offenderFile());
  fs.writeFileSync(path.join(dir, "bad.parquet"), offenderFile({ surname: undefined }));
});
afterAll(() => {
  if (saved === undefined) delete process.env.DATAENG_METADATA_ROOT;
  else process.env.DATAENG_METADATA_ROOT = saved;
  clearMetadataCache();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function run(...args: string[]) {
  let out = "";
  let err = "";
  const code = await main(
    args,
    { write: (s: string) => ((out += s), true) } as unknown as NodeJS.WritableStream,
    { write: (s: string) => ((err += s), true) } as unknown as NodeJS.WritableStream,
  );
  return { code, out, err };
}

test("a valid full-load file: exit 0", async () => {
  const file = path.join(dir, "LOAD00000001.parquet");
  expect(await run(file, "--table", "delius/offender")).toEqual({
    code: 0,
    out: `valid: ${file} as delius/offender/LOAD00000001.parquet (3 rows)\n`,
    err: "",
  });
});

test("an invalid file, with its landing key from the fail bucket: exit 1 and the checks that failed", async () => {
  const file = path.join(dir, "bad.parquet");
  const { code, out } = await run(
    file,
    "--table",
    "delius/offender",
    "--key",
    "delius/offender/20261127-1200000000.parquet",
    "--json",
  );
  expect(code).toBe(1);
  const result = JSON.parse(out);
  expect(result).toMatchObject({
    valid: false,
    key: "delius/offender/20261127-1200000000.parquet",
    rows: 3,
  });
  // As a CDC file it also needs its SCN, which the full-load fixture leaves empty.
  expect(result.failures.map((f: { check: string }) => f.check)).toEqual([
    "columns-present",
    "stream-position",
  ]);
});

test("a table without metadata in the repository: exit 1, known-table", async () => {
  const { code, out } = await run(path.join(dir, "LOAD00000001.parquet"), "--table", "delius/nope");
  expect(code).toBe(1);
  expect(out).toContain("✗ known-table: no metadata for table delius.nope: ");
});

test.each([
  [["--table", "delius/offender"], "error: missing required argument 'file'\n"],
  [["x.parquet"], "error: required option '--table <database/table>' not specified\n"],
  [
    ["x.parquet", "--table", "crm/offender"],
    'error: --table names the database "crm"; expected one of delius, oasys\n',
  ],
  [
    ["x.parquet", "--table", "delius"],
    'error: --table must be <database>/<table>, such as delius/offender; got "delius"\n',
  ],
])("usage error %j: exit 2", async (args, message) => {
  expect(await run(...args)).toEqual({ code: 2, out: "", err: message });
});

test("a file that does not exist: exit 2", async () => {
  const { code, err } = await run(path.join(dir, "none.parquet"), "--table", "delius/offender");
  expect(code).toBe(2);
  expect(err).toMatch(/^error: cannot read .*none\.parquet: ENOENT/);
});
