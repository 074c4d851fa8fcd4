import { camelCase, pulumiProjectNameProblem, repositoryProjectNameProblem } from "./names";

const ENVS = ["dev", "preprod", "prod"];

describe("Pulumi's project name rule (v3.248.0)", () => {
  it.each([
    ["", "project names may not be empty"],
    ["a".repeat(101), "project names are limited to 100 characters"],
    [
      "my project",
      "project names may only contain alphanumerics, hyphens, underscores, and periods",
    ],
    ["café", "project names may only contain alphanumerics, hyphens, underscores, and periods"],
    [
      "Pulumi",
      "project name must not be `Pulumi` and must not start with the prefix `Pulumi.` to avoid collision with standard libraries",
    ],
    [
      "pulumi.extras",
      "project name must not be `Pulumi` and must not start with the prefix `Pulumi.` to avoid collision with standard libraries",
    ],
  ])("refuses %j: %s", (name, message) => {
    expect(pulumiProjectNameProblem(name)).toBe(message);
  });

  it.each(["a".repeat(100), "My-Project.v2", "pulumi_extras", "_x"])("accepts %j", (name) => {
    expect(pulumiProjectNameProblem(name)).toBeUndefined();
  });
});

describe("this repository's project name rule", () => {
  it.each(["reports", "glue_database", "x2", "a".repeat(92)])("accepts %j", (name) => {
    expect(repositoryProjectNameProblem(name, ENVS)).toBeUndefined();
  });

  it.each(["Reports", "my-project", "v1.2", "2fa", "_x"])("refuses %j", (name) => {
    expect(repositoryProjectNameProblem(name, ENVS)).toMatch(
      /^project names here are lower-case letters, digits and underscores, starting with a letter/,
    );
  });

  it("keeps <project>-preprod within Pulumi's 100-character stack names", () => {
    expect(repositoryProjectNameProblem("a".repeat(93), ENVS)).toBe(
      `project names here are limited to 92 characters, so that "<project>-<env>" stays within Pulumi's 100-character stack names`,
    );
  });

  it("derives the program function's name", () => {
    expect(camelCase("glue_database")).toBe("glueDatabase");
    expect(camelCase("pipelines_base_2")).toBe("pipelinesBase2");
    expect(camelCase("core")).toBe("core");
  });
});
