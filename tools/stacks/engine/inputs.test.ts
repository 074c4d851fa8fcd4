/**
 * Inputs as the evaluator captures them: the wire forms are made by the SDK itself
 * (runtime/rpc serializeProperty, then deserializeProperty, as lib/plan/evaluate.ts reads a
 * registration), so a change of the SDK's secret or asset encoding fails here.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { REDACTED, jsonInputs } from "./inputs";

/** Each input on its own, as serializeResourceProperties sends a registration's inputs. */
async function asCaptured(value: Record<string, unknown>): Promise<Record<string, unknown>> {
  const captured: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const wire: unknown = await rpc.serializeProperty(key, v, new Set(), {
      keepOutputValues: false,
    });
    captured[key] = rpc.deserializeProperty(wire);
  }
  return captured;
}

describe("jsonInputs", () => {
  // Serializing a secret needs a runtime that accepts secrets, as the mocks' monitor does.
  beforeAll(() =>
    pulumi.runtime.setMocks({ newResource: () => ({ id: "x", state: {} }), call: () => ({}) }),
  );

  it("redacts secrets wherever they are, keeping everything else", async () => {
    const captured = await asCaptured({
      name: "endpoint",
      password: pulumi.secret("hunter2"),
      settings: { nested: [pulumi.secret("s3cr3t"), "plain"] },
    });
    const json = await jsonInputs(captured);
    expect(json).toEqual({
      name: "endpoint",
      password: REDACTED,
      // The SDK makes a whole value secret when anything inside it is.
      settings: REDACTED,
    });
    expect(JSON.stringify(json)).not.toMatch(/hunter2|s3cr3t/);
  });

  it("gives assets by content: a string asset and the same bytes in a file are equal", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "inputs-"));
    const file = path.join(dir, "index.js");
    fs.writeFileSync(file, "exports.handler = 1;\n");
    try {
      const captured = await asCaptured({
        code: new pulumi.asset.AssetArchive({
          "index.js": new pulumi.asset.StringAsset("exports.handler = 1;\n"),
        }),
        file: new pulumi.asset.FileAsset(file),
      });
      const json = await jsonInputs(captured);
      const expected = createHash("sha256").update("exports.handler = 1;\n").digest("hex");
      expect(json).toEqual({
        code: { archive: { "index.js": { asset: { sha256: expected } } } },
        file: { asset: { sha256: expected } },
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
