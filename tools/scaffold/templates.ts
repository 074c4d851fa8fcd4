/**
 * The files of a new project, shaped like the existing five (compare core/ and glue_database/):
 * Pulumi.yaml, a thin program (index.ts + program.ts on lib/infra/context.ts's stackContext),
 * its test, tsconfig.json extending the root one, one stack file per environment and a README.
 * Placeholders the author must replace start with "TODO".
 */
import { camelCase } from "./names";

export interface ProjectSpec {
  readonly project: string;
  /** Environments with a stack, in ENVIRONMENTS' order. */
  readonly envs: readonly string[];
  /** Projects it reads through StackReferences (explicit edges). */
  readonly dependsOn: readonly string[];
  /** `aws:region` per environment, as the other projects' stack files set it. */
  readonly regions: Readonly<Record<string, string>>;
}

export const PURPOSE_PLACEHOLDER = "TODO describe in one sentence what this project owns";

/** Relative path (from the repository root) → content. */
export function projectFiles(spec: ProjectSpec): Record<string, string> {
  const { project, envs } = spec;
  const files: Record<string, string> = {
    "Pulumi.yaml": pulumiYaml(project),
    "index.ts": indexTs(project),
    "program.ts": programTs(spec),
    "program.test.ts": programTestTs(spec),
    "tsconfig.json": tsconfigJson(),
    "README.md": readme(spec),
  };
  for (const env of envs) {
    files[`Pulumi.${project}-${env}.yaml`] = `config:\n  aws:region: ${spec.regions[env]}\n`;
  }
  return Object.fromEntries(Object.entries(files).map(([f, text]) => [`${project}/${f}`, text]));
}

function pulumiYaml(project: string): string {
  return [
    `name: ${project}`,
    `description: ${PURPOSE_PLACEHOLDER}`,
    "runtime:",
    "  name: nodejs",
    "  options:",
    "    # Compiled by the repository's esbuild hook, as the other projects (README: \"Where a",
    "    # preview's time goes\").",
    "    typescript: false",
    "    nodeargs: --require ../tools/stacks/register.js",
    "main: index.ts",
    "",
  ].join("\n");
}

function indexTs(project: string): string {
  return [
    "// The Pulumi CLI calls the exported function and uses what it returns as the stack outputs.",
    `import { ${camelCase(project)}Program } from "./program";`,
    "",
    `export = ${camelCase(project)}Program;`,
    "",
  ].join("\n");
}

function programTs({ project, dependsOn }: ProjectSpec): string {
  const references = dependsOn.length
    ? [
        "  // The projects it depends on (explicit edges in lib/model/graph.ts); read their outputs",
        '  // with upstreamString(ctx.reference("<project>"), "<output>") from lib/infra/context.ts.',
        ...dependsOn.map((d) => `  ctx.reference(${JSON.stringify(d)});`),
      ]
    : [];
  return [
    'import { stackContext } from "../lib/infra/context";',
    "",
    `/** ${project}: ${PURPOSE_PLACEHOLDER}. */`,
    `export function ${camelCase(project)}Program() {`,
    "  // The zod shape of its config keys (`" + project + ":<key>`); none yet.",
    `  const ctx = stackContext(${JSON.stringify(project)}, {});`,
    ...references,
    "  // TODO: its components, with ctx.componentOptions (the provider with the default tags).",
    "  return {};",
    "}",
    "",
  ].join("\n");
}

function programTestTs({ project, dependsOn }: ProjectSpec): string {
  const refs = [...dependsOn]
    .sort()
    .map((d) => `\`organization/${d}/${d}-\${env}\``)
    .join(", ");
  return [
    'import { ofType, planStack } from "../lib/testing/programs";',
    'import { STACK_ENVIRONMENTS } from "../lib/model/stacks";',
    "",
    `describe.each(STACK_ENVIRONMENTS.${project})("${project}-%s", (env) => {`,
    "  // The first plan also evaluates the projects it depends on: give it time.",
    `  beforeAll(() => planStack(${JSON.stringify(project)}, env), 60_000);`,
    "",
    '  it("references the projects it depends on, in the same environment", async () => {',
    `    const { resources } = await planStack(${JSON.stringify(project)}, env);`,
    '    const refs = ofType(resources, "pulumi:pulumi:StackReference");',
    `    expect(refs.map((r) => r.inputs.name).sort()).toEqual([${refs}]);`,
    "  });",
    "",
    '  it("has only its AWS provider so far (TODO: test its own resources)", async () => {',
    `    const { resources, outputs } = await planStack(${JSON.stringify(project)}, env);`,
    '    const own = resources.filter((r) => r.type !== "pulumi:pulumi:StackReference");',
    '    expect(own.map((r) => r.type)).toEqual(["pulumi:providers:aws"]);',
    "    expect(outputs).toEqual({});",
    "  });",
    "});",
    "",
  ].join("\n");
}

function tsconfigJson(): string {
  return [
    "{",
    "  // The Pulumi CLI reads tsconfig.json from the project folder only. noCheck: deploys",
    "  // transpile without type-checking, which `npm run typecheck` does once for the repository.",
    '  "extends": "../tsconfig.json",',
    '  "compilerOptions": { "noCheck": true },',
    '  "include": ["**/*.ts", "../lib/**/*.ts"]',
    "}",
    "",
  ].join("\n");
}

function readme({ project, envs, dependsOn }: ProjectSpec): string {
  const deps = dependsOn.length
    ? dependsOn.map(
        (d) =>
          `- **${d}, explicitly**: a StackReference to \`organization/${d}/${d}-<env>\` ` +
          `(TODO: which outputs, and the edge's \`why\` in \`lib/model/graph.ts\`).`,
      )
    : ["- none (`lib/model/graph.ts` has no edge from this project)."];
  const first = `${project}-${envs[0]}`;
  return [
    `# ${project}`,
    "",
    "## Purpose",
    "",
    `${PURPOSE_PLACEHOLDER} (also in \`Pulumi.yaml\` and \`program.ts\`).`,
    "",
    "## Usage",
    "",
    "From the repository root, with the orchestrator (dependencies first, policy pack applied):",
    "",
    "```sh",
    `npm run stacks -- plan --env ${envs[0]} --project ${project} --with-dependencies   # offline`,
    `npm run stacks -- preview --env ${envs[0]} --project ${project}`,
    `npm run stacks -- up --env ${envs[0]} --project ${project}`,
    "```",
    "",
    `By hand, from inside \`${project}/\`:`,
    "",
    "```sh",
    "pulumi login s3://analytical-platform-data-engineering-pulumi-backend",
    `pulumi stack select ${first}`,
    "pulumi preview --refresh --diff --policy-pack=../policy --policy-pack-config=../policy-config.json",
    "```",
    "",
    `Stacks: ${envs.map((e) => `\`${project}-${e}\``).join(", ")}. Config: \`aws:region\` only, so far;`,
    `its own keys (\`${project}:<key>\`) are declared in \`program.ts\`'s zod shape.`,
    "",
    "## Requirements",
    "",
    "The [root README's prerequisites](../README.md#deploying-for-real): the Pulumi CLI, AWS",
    "credentials, `npm ci` at the repository root and `PULUMI_CONFIG_PASSPHRASE`.",
    "",
    "Deployed after (from `lib/model/graph.ts`):",
    "",
    ...deps,
    "",
  ].join("\n");
}
