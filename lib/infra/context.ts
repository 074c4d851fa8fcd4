/**
 * What every project program starts with: which stack this is, its validated config, the AWS
 * provider with the default tags, and StackReferences to the projects it depends on.
 */
import * as path from "node:path";
// The provider module alone, not @pulumi/aws's index: type-checking a program that imports only
// this file (a new project's, tools/scaffold/scaffold.test.ts) then reads provider.d.ts and its
// input types (6 MB) instead of every service's declarations (31 MB). The class is the same.
import { Provider } from "@pulumi/aws/provider";
import * as pulumi from "@pulumi/pulumi";
import { type z } from "zod";
import { ConfigError, parseProjectConfig } from "./config";
import { defaultTags } from "../model/tags";
import {
  type Environment,
  type Project,
  STACK_ENVIRONMENTS,
  isProtectedEnvironment,
  parseStackName,
  stackName,
  stackReferenceName,
} from "../model/stacks";

export interface StackContext<C> {
  readonly project: Project;
  readonly env: Environment;
  readonly stack: string;
  /** The stack file, relative to the repository root, for error messages. */
  readonly stackFile: string;
  readonly config: C;
  readonly region: string;
  /** Preprod and prod: stateful resources are protected and kept when deleted from the program. */
  readonly protectStateful: boolean;
  /** The AWS provider every resource uses; it carries the default tags. */
  readonly provider: Provider;
  /** Options for a program's top-level components: the provider flows to their children. */
  readonly componentOptions: pulumi.ComponentResourceOptions;
  /** A reference to another project's stack in the same environment. */
  reference(project: Project): pulumi.StackReference;
}

/** Options that protect and retain a stateful resource where the environment holds real data. */
export function statefulOptions(protect: boolean): pulumi.CustomResourceOptions {
  return protect ? { protect: true, retainOnDelete: true } : {};
}

/**
 * Reads the stack's identity and config. `shape` is the zod shape of the project's own config
 * namespace (`<project>:<key>`); `aws:region` is required for every stack.
 */
export function stackContext<S extends z.ZodRawShape>(
  project: Project,
  shape: S,
): StackContext<z.infer<z.ZodObject<S>>> {
  const stack = pulumi.getStack();
  const parsed = parseStackName(stack);
  if (!parsed || parsed.project !== project || !STACK_ENVIRONMENTS[project].includes(parsed.env)) {
    const valid = STACK_ENVIRONMENTS[project].map((env) => stackName(project, env)).join(", ");
    throw new Error(
      `Stack "${stack}" is not a stack of ${project}: its stacks are ${valid}. ` +
        `Select one with "pulumi stack select ${stackName(project, STACK_ENVIRONMENTS[project][0])}".`,
    );
  }
  const env = parsed.env;
  const stackFile = path.join(project, `Pulumi.${stack}.yaml`);
  const all = pulumi.runtime.allConfig();
  const config = parseProjectConfig(project, shape, all, stackFile);
  const region = all["aws:region"];
  if (!region) {
    throw new ConfigError(stackFile, [
      "aws:region: missing; expected an AWS region such as eu-west-2",
    ]);
  }
  const provider = new Provider("aws", {
    ...awsProviderSettings(all),
    region,
    defaultTags: { tags: defaultTags(project, env) },
  });
  const references = new Map<Project, pulumi.StackReference>();
  return {
    project,
    env,
    stack,
    stackFile,
    config,
    region,
    protectStateful: isProtectedEnvironment(env),
    provider,
    componentOptions: { providers: [provider] },
    reference(upstream) {
      let ref = references.get(upstream);
      if (!ref) {
        const name = stackReferenceName(upstream, env);
        ref = new pulumi.StackReference(name, { name });
        references.set(upstream, ref);
      }
      return ref;
    },
  };
}

/**
 * An explicit provider ignores the stack's `aws:*` config, so it is handed over here: this is
 * how `--local` points every resource at LocalStack (endpoints, test credentials, path-style S3).
 */
export function awsProviderSettings(all: Record<string, string>): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(all)) {
    if (!key.startsWith("aws:") || key === "aws:defaultTags") continue;
    settings[key.slice(4)] = decodeConfigValue(value);
  }
  return settings;
}

function decodeConfigValue(value: string): unknown {
  if (value === "true" || value === "false" || /^[[{]/.test(value)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

/** Reads a required output of an upstream stack, typed as a string. */
export function upstreamString(ref: pulumi.StackReference, key: string): pulumi.Output<string> {
  return ref.requireOutput(key) as pulumi.Output<string>;
}
