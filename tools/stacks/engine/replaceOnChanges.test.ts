/**
 * The replace-on-change table against what it describes: every resource type the programs
 * deploy has an entry, and every input it names is an input of that resource in the installed
 * @pulumi/aws (its `<Resource>Args` interface in node_modules/@pulumi/aws/<module>/<name>.d.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { evaluateAll } from "../../../lib/plan/evaluate";
import { REPO_ROOT } from "../../../lib/model/stacks";
import { repoReview } from "./review";

const REPLACE_ON_CHANGES = repoReview().replaceOnChanges;

function argsOf(type: string): string[] {
  const [, module, resource] = /^aws:([^/]+)\/([^:]+):(\w+)$/.exec(type) ?? [];
  const dir = path.join(REPO_ROOT, "node_modules", "@pulumi", "aws", module);
  // Most files are named like the token's middle part; a few in lower case (s3endpoint.d.ts).
  const file = fs
    .readdirSync(dir)
    .find((f) => f.toLowerCase() === `${resource}.d.ts`.toLowerCase());
  if (!file) throw new Error(`no ${resource}.d.ts in ${dir}`);
  const text = fs.readFileSync(path.join(dir, file), "utf8");
  const name = type.split(":").pop()!;
  const block =
    new RegExp(`export interface ${name}Args \\{([\\s\\S]*?)\\n\\}`).exec(text)?.[1] ?? "";
  return [...block.matchAll(/^ {4}(?:readonly )?(\w+)\??:/gm)].map((m) => m[1]);
}

describe("REPLACE_ON_CHANGES", () => {
  it("has an entry for every resource type the programs deploy", async () => {
    const plans = await evaluateAll();
    const types = new Set(
      [...plans.values()].flatMap((p) =>
        p.resources
          .filter((r) => r.custom && r.type !== "pulumi:pulumi:StackReference")
          .map((r) => r.type),
      ),
    );
    expect([...types].filter((t) => !(t in REPLACE_ON_CHANGES)).sort()).toEqual([]);
    expect(types.size).toBeGreaterThan(30);
  }, 120_000);

  it.each(Object.entries(REPLACE_ON_CHANGES).filter(([t]) => t.startsWith("aws:")))(
    "%s names only inputs @pulumi/aws has, and its source",
    (type, rule) => {
      const args = argsOf(type);
      expect(args.length).toBeGreaterThan(0);
      expect(rule.inputs.filter((i) => !args.includes(i))).toEqual([]);
      expect(rule.source).toMatch(
        /^hashicorp\/terraform-provider-aws internal\/service\/\w+\/\w+\.go$/,
      );
    },
  );
});
