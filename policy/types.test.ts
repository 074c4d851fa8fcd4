import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_STATEFUL_TYPES, TAGGABLE_TYPES } from "./stack";
import { T } from "./types";

const AWS_DIR = path.dirname(require.resolve("@pulumi/aws/package.json"));
const awsTokens = Object.values(T).filter((t) => t.startsWith("aws:"));

/** `aws:s3/bucketV2:BucketV2` → the module `s3`, the file stem `bucketV2`, the class `BucketV2`. */
function parts(token: string) {
  const [, middle, cls] = token.split(":");
  const [module, stem] = middle.split("/");
  return { module, stem, cls };
}

function argsDeclaration(token: string): string {
  const { module, stem, cls } = parts(token);
  const dir = path.join(AWS_DIR, module);
  const file = fs.readdirSync(dir).find((f) => f.toLowerCase() === `${stem.toLowerCase()}.d.ts`);
  if (!file) throw new Error(`no declaration file for ${token}`);
  const text = fs.readFileSync(path.join(dir, file), "utf8");
  const start = text.indexOf(`export interface ${cls}Args {`);
  if (start < 0) throw new Error(`no ${cls}Args in ${file}`);
  return text.slice(start, text.indexOf("\n}", start));
}

describe("type tokens", () => {
  it.each(awsTokens)("%s is the token of its @pulumi/aws class", (token) => {
    const { module, cls } = parts(token);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(`@pulumi/aws/${module}`) as Record<string, { __pulumiType?: string }>;
    expect(mod[cls]?.__pulumiType).toBe(token);
  });

  it("the taggable types are exactly those of T whose args take tags", () => {
    const taggable = awsTokens.filter((t) => /\n {4}tags\?: /.test(argsDeclaration(t)));
    expect([...TAGGABLE_TYPES].sort()).toEqual(taggable.sort());
  });

  it("stateful types are known tokens", () => {
    for (const t of DEFAULT_STATEFUL_TYPES) expect(awsTokens).toContain(t);
  });
});
