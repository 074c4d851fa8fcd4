import { type FakePulumi, installFakePulumi } from "../testing/fakePulumi";
import { spawnPulumi } from "./pulumi";
import { createStackArgs, selectOrCreateStack } from "./selectStack";

// What v3.248.0 prints when select finds no stack (backenderr.StackNotFoundError), exit 255.
const notFound = { output: "error: no stack named 'core-dev' found\n", exitCode: 255 };

let fake: FakePulumi;
beforeEach(() => {
  fake = installFakePulumi();
});
afterEach(() => fake.remove());

const select = () =>
  selectOrCreateStack(spawnPulumi, "core-dev", { cwd: fake.dir, env: fake.env() });
const argvs = () => fake.calls().map((c) => c.argv.join(" "));

describe("selectOrCreateStack", () => {
  it("creates a missing stack with the passphrase provider", () => {
    expect(createStackArgs("core-dev")).toEqual([
      "stack",
      "select",
      "--stack",
      "core-dev",
      "--create",
      "--secrets-provider",
      "passphrase",
      "--non-interactive",
    ]);
  });

  it("selects a stack that exists, and never asks to create it", async () => {
    expect((await select()).exitCode).toBe(0);
    expect(argvs()).toEqual(["stack select --stack core-dev --non-interactive"]);
  });

  it("creates a stack only after a listing that worked and did not name it", async () => {
    fake.answer("core-dev", "stack-select", notFound);
    fake.answer("", "stack-ls", {
      output: JSON.stringify([{ name: "core-prod", current: false }]),
    });
    expect((await select()).exitCode).toBe(0);
    expect(argvs()).toEqual([
      "stack select --stack core-dev --non-interactive",
      "stack ls --json --non-interactive",
      "stack select --stack core-dev --create --secrets-provider passphrase --non-interactive",
    ]);
    expect(fake.calls().every((c) => c.refused === "")).toBe(true);
  });

  it("creates nothing when the listing fails, and says why", async () => {
    fake.answer("core-dev", "stack-select", notFound);
    fake.answer("", "stack-ls", {
      output: "error: could not list bucket: operation error S3: ListObjectsV2, StatusCode: 503\n",
      exitCode: 255,
    });
    expect(await select()).toEqual({
      exitCode: 255,
      output: "error: could not list bucket: operation error S3: ListObjectsV2, StatusCode: 503",
    });
    expect(argvs()).toHaveLength(2);
  });

  it("creates nothing when the listing names the stack select did not find", async () => {
    fake.answer("core-dev", "stack-select", notFound);
    fake.answer("", "stack-ls", {
      output: JSON.stringify([{ name: "organization/core/core-dev", current: false }]),
    });
    expect(await select()).toEqual({
      exitCode: 1,
      output:
        "error: pulumi stack select found no stack core-dev, then pulumi stack ls listed it: the backend did not answer a listing (a transient backend error). Nothing was created; rerun.",
    });
    expect(argvs()).toHaveLength(2);
  });

  it("returns any other failure of select as it is, and creates nothing", async () => {
    fake.answer("core-dev", "stack-select", {
      output: "error: access denied to the backend bucket\n",
      exitCode: 255,
    });
    expect((await select()).output).toBe("error: access denied to the backend bucket");
    fake.answer("core-dev", "stack-select", notFound);
    fake.answer("", "stack-ls", { output: "no JSON here" });
    expect(await select()).toEqual({
      exitCode: 1,
      output: "error: pulumi stack ls --json printed no JSON:\nno JSON here",
    });
    expect(argvs().filter((a) => a.includes("--create"))).toEqual([]);
  });
});
