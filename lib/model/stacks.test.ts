import {
  STACK_ENVIRONMENTS,
  hasStack,
  parseStackName,
  stackFilePath,
  stackName,
  stackReferenceName,
  REPO_ROOT,
} from "./stacks";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

describe("stacks", () => {
  it("names stacks <project>-<env> and references organization/<project>/<stack>", () => {
    expect(stackName("pipelines_base", "prod")).toBe("pipelines_base-prod");
    expect(stackReferenceName("core", "dev")).toBe("organization/core/core-dev");
    expect(parseStackName("glue_database-preprod")).toEqual({
      project: "glue_database",
      env: "preprod",
    });
    expect(parseStackName("core")).toBeUndefined();
    expect(parseStackName("core-staging")).toBeUndefined();
    expect(parseStackName("unknown-dev")).toBeUndefined();
  });

  it("gives pipelines_base a prod stack only, and every other project all three", () => {
    expect(STACK_ENVIRONMENTS.pipelines_base).toEqual(["prod"]);
    expect(hasStack("pipelines_base", "dev")).toBe(false);
    for (const p of ["core", "metadata", "pipelines", "glue_database"] as const) {
      expect(STACK_ENVIRONMENTS[p]).toEqual(["dev", "preprod", "prod"]);
    }
  });

  it("has exactly one stack file per stack in the matrix, each in eu-west-2", () => {
    for (const [project, envs] of Object.entries(STACK_ENVIRONMENTS)) {
      const files = fs
        .readdirSync(path.join(REPO_ROOT, project))
        .filter((f) => /^Pulumi\..+\.yaml$/.test(f));
      const expected = envs.map((env) => path.basename(stackFilePath(project as "core", env)));
      expect(files.sort()).toEqual(expected.sort());
      for (const file of files) {
        const doc = parse(fs.readFileSync(path.join(REPO_ROOT, project, file), "utf8"));
        expect(doc.config["aws:region"]).toBe("eu-west-2");
      }
      const projectFile = parse(
        fs.readFileSync(path.join(REPO_ROOT, project, "Pulumi.yaml"), "utf8"),
      );
      expect(projectFile.name).toBe(project);
      expect(projectFile.runtime.name).toBe("nodejs");
      // The esbuild hook compiles the program, not the CLI's ts-node (README: "Where a preview's
      // time goes"); node resolves --require from the language host's folder, the project's.
      expect(projectFile.runtime.options).toEqual({
        typescript: false,
        nodeargs: "--require ../tools/stacks/register.js",
      });
      expect(fs.existsSync(path.join(REPO_ROOT, project, "../tools/stacks/register.js"))).toBe(
        true,
      );
    }
  });
});
