/**
 * Bundles a Lambda's TypeScript entry with esbuild while the Pulumi program runs, so a fresh
 * clone deploys without a separate build step and nothing built is committed. The output is
 * deterministic (paths relative to the repository), so an unchanged function shows no diff.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { buildSync } from "esbuild";
import { REPO_ROOT } from "./stacks";

/** The Node.js major version the bundles target; the Lambda runtime must match. */
export const LAMBDA_NODE_TARGET = "node22";

const bundles = new Map<string, string>();

/** The bundled JavaScript of `entry`, built once per process. */
export function bundleSource(entry: string): string {
  const file = path.resolve(REPO_ROOT, entry);
  let code = bundles.get(file);
  if (code === undefined) {
    try {
      const result = buildSync({
        entryPoints: [file],
        absWorkingDir: REPO_ROOT,
        bundle: true,
        platform: "node",
        target: LAMBDA_NODE_TARGET,
        format: "cjs",
        write: false,
        legalComments: "none",
        logLevel: "silent",
      });
      code = result.outputFiles[0].text;
    } catch (e) {
      throw new Error(
        `Could not bundle the Lambda entry ${path.relative(REPO_ROOT, file)}: ${(e as Error).message}\n` +
          `Fix the function's source (npm run typecheck shows the details).`,
      );
    }
    bundles.set(file, code);
  }
  return code;
}

/** The function code as a zip archive holding index.js (handler `index.handler`). */
export function lambdaCode(entry: string): pulumi.asset.AssetArchive {
  return new pulumi.asset.AssetArchive({
    "index.js": new pulumi.asset.StringAsset(bundleSource(entry)),
  });
}
