/**
 * `npm run stacks -- init --env <env>`: makes every stack file of the env hold its passphrase
 * secrets provider's `encryptionsalt`, once, so that it can be committed (README: "The secrets
 * salt"). Per stack, in its project folder:
 *
 * 1. `pulumi stack select --stack <stack> --create --secrets-provider passphrase`: a missing
 *    stack is created and the CLI writes its new salt into the stack file
 *    (pkg/cmd/pulumi/stack/stack_select.go, InitStack); an existing one is only selected.
 * 2. If the stack file still has no salt (an existing stack created elsewhere, e.g. by CI), its
 *    salt is copied from the state: `pulumi stack export --file <tmp>` writes the deployment,
 *    whose `deployment.secrets_providers` is `{ type: "passphrase", state: { salt } }`
 *    (sdk/go/common/apitype/core.go DeploymentV3/SecretsProvidersV1,
 *    pkg/secrets/passphrase/manager.go localSecretsManagerState, v3.248.0).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { projectDir, stackFilePath } from "../../../lib/model/stacks";
import { type Io } from "../report/io";
import {
  type PulumiInvocation,
  type PulumiResult,
  defaultBackendUrl,
  pulumiEnv,
} from "../pulumi/pulumi";
import { hasEncryptionSalt, lastError } from "../pulumi/run";
import { selectOrCreateStack } from "../pulumi/selectStack";
import { type SelectedStack } from "../engine/selection";

export interface InitOptions {
  readonly stacks: readonly SelectedStack[];
  readonly repoRoot: string;
  readonly env: NodeJS.ProcessEnv;
  readonly io: Io;
  readonly spawn: (call: PulumiInvocation) => Promise<PulumiResult>;
}

export type InitOutcome =
  "had its salt" | "created; salt written" | "salt copied from the state" | "failed";

export function exportStackArgs(stack: string, file: string): string[] {
  return ["stack", "export", "--stack", stack, "--file", file, "--non-interactive"];
}

/** The passphrase salt of an exported deployment (`pulumi stack export`), or an error. */
export function saltOfExport(text: string): { salt: string } | { error: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { error: "the export is not JSON" };
  }
  const providers = (
    doc as { deployment?: { secrets_providers?: { type?: unknown; state?: unknown } } }
  )?.deployment?.secrets_providers;
  if (!providers) return { error: "the state records no secrets provider" };
  if (providers.type !== "passphrase") {
    return {
      error: `the state's secrets provider is ${JSON.stringify(providers.type)}, not passphrase`,
    };
  }
  const salt = (providers.state as { salt?: unknown } | undefined)?.salt;
  return typeof salt === "string" && salt !== ""
    ? { salt }
    : { error: "the passphrase provider's state has no salt" };
}

/** Returns 0 when every stack file ends with its salt, 1 otherwise. */
export async function runInit(o: InitOptions): Promise<number> {
  const env = pulumiEnv(o.env, { backendUrl: defaultBackendUrl(o.env) });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "stacks-init-"));
  const changed: string[] = [];
  let failed = 0;
  try {
    for (const s of o.stacks) {
      const file = stackFilePath(s.project, s.env, o.repoRoot);
      const relative = path.relative(o.repoRoot, file);
      const cwd = projectDir(s.project, o.repoRoot);
      const say = (outcome: InitOutcome, detail = "") => {
        o.io.out(`${outcome === "failed" ? "✗" : "✓"} ${s.stack}: ${outcome}${detail}`);
        if (outcome === "failed") failed++;
        if (outcome === "created; salt written" || outcome === "salt copied from the state") {
          changed.push(relative);
        }
      };
      const before = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
      if (before !== undefined && hasEncryptionSalt(before)) {
        say("had its salt");
        continue;
      }
      const selected = await selectOrCreateStack(o.spawn, s.stack, { cwd, env });
      if (selected.exitCode !== 0) {
        say(
          "failed",
          `: pulumi stack select: ${lastError(selected.output) ?? `exit ${selected.exitCode}`}`,
        );
        continue;
      }
      const after = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
      if (hasEncryptionSalt(after)) {
        say("created; salt written", ` (${relative})`);
        continue;
      }
      const exportFile = path.join(scratch, `${s.stack}.json`);
      const exported = await o.spawn({ argv: exportStackArgs(s.stack, exportFile), cwd, env });
      if (exported.exitCode !== 0 || !fs.existsSync(exportFile)) {
        say(
          "failed",
          `: pulumi stack export: ${lastError(exported.output) ?? `exit ${exported.exitCode}`}`,
        );
        continue;
      }
      const found = saltOfExport(fs.readFileSync(exportFile, "utf8"));
      if ("error" in found) {
        say(
          "failed",
          `: ${found.error}; set the salt with "pulumi stack change-secrets-provider passphrase --stack ${s.stack}" in ${s.project}/`,
        );
        continue;
      }
      // Pulumi writes encryptionsalt before config (workspace.ProjectStack field order).
      fs.writeFileSync(file, `encryptionsalt: ${found.salt}\n${after}`);
      say("salt copied from the state", ` (${relative})`);
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  if (changed.length > 0) {
    o.io.out(`Commit the changed stack files: git add ${changed.join(" ")}`);
  }
  return failed > 0 ? 1 : 0;
}
