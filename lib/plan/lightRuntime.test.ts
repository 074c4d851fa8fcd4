import * as structs from "google-protobuf/google/protobuf/struct_pb";
import { jsonInputs } from "../../tools/stacks/engine/inputs";
import { evaluateAll, type StackEvaluation } from "./evaluate";
import { PlainStruct, lightenRuntime, setLightRuntime } from "./lightRuntime";

// Evaluates the dev stacks twice: seconds of CPU, minutes of wall time on a loaded machine.
jest.setTimeout(180_000);

const SAMPLE = {
  b: 1,
  a: { d: [1, "x", null, true, { z: 1, y: 2 }], c: 2.5 },
  "10": "ten",
  "9": "nine",
  empty: {},
  list: [],
};

describe("PlainStruct", () => {
  it("gives what a real Struct gives back: the same values, keys in the same order", () => {
    const real = structs.Struct.fromJavaScript(SAMPLE as never).toJavaScript();
    const plain = new PlainStruct(SAMPLE).toJavaScript();
    expect(plain).toEqual(real);
    expect(JSON.stringify(plain)).toBe(JSON.stringify(real));
    expect(JSON.stringify(plain)).toBe(
      '{"9":"nine","10":"ten","a":{"c":2.5,"d":[1,"x",null,true,{"y":2,"z":1}]},"b":1,"empty":{},"list":[]}',
    );
  });

  it("is a copy: changing the source or a result changes nothing else", () => {
    const source = { list: [1, 2], inner: { k: "v" } };
    const plain = new PlainStruct(source);
    source.list.push(3);
    const first = plain.toJavaScript() as { list: number[] };
    first.list.push(4);
    expect(plain.toJavaScript()).toEqual({ inner: { k: "v" }, list: [1, 2] });
  });

  it("refuses undefined and functions as the real Struct does", () => {
    for (const bad of [{ a: undefined }, { a: [undefined] }, { a: () => 1 }]) {
      expect(() => structs.Struct.fromJavaScript(bad as never)).toThrow("Unexpected struct type.");
      expect(() => new PlainStruct(bad)).toThrow("Unexpected struct type.");
    }
  });

  it("answers the rest of a Struct's interface with a real one", () => {
    const plain = new PlainStruct({ urn: "u", id: "i" });
    expect(plain).toBeInstanceOf(structs.Struct);
    const fields = plain.getFieldsMap() as { get(k: string): { toJavaScript(): unknown } };
    expect(fields.get("urn").toJavaScript()).toBe("u");
    expect(plain.serializeBinary()).toEqual(
      structs.Struct.fromJavaScript({ urn: "u", id: "i" }).serializeBinary(),
    );
  });

  it("is only in place while an evaluation lightens the runtime", () => {
    const restore = lightenRuntime();
    expect(structs.Struct.fromJavaScript({ a: 1 })).toBeInstanceOf(PlainStruct);
    restore();
    expect(structs.Struct.fromJavaScript({ a: 1 })).not.toBeInstanceOf(PlainStruct);
  });
});

describe("the dev stacks planned with and without the light runtime", () => {
  const plan = async (light: boolean) => {
    setLightRuntime(light);
    try {
      return await evaluateAll(["dev"]);
    } finally {
      setLightRuntime(true);
    }
  };
  // As plan --json shows them: assets by their content's hash (their fields are promises).
  const comparable = async (e: StackEvaluation) => ({
    stack: e.stack,
    errors: e.errors,
    outputs: e.outputs,
    urns: e.resources.map((r) => r.urn),
    resources: await Promise.all(
      e.resources.map(async (r) => ({
        ...r,
        inputs: await jsonInputs(r.inputs),
        state: await jsonInputs(r.state),
      })),
    ),
  });

  it("register the same resources, in the same order, with the same inputs and outputs", async () => {
    const sdk = await plan(false);
    const light = await plan(true);
    expect([...light.keys()]).toEqual([...sdk.keys()]);
    expect([...sdk.keys()].length).toBeGreaterThanOrEqual(4);
    for (const [stack, evaluation] of sdk) {
      expect(evaluation.errors).toEqual([]);
      expect(evaluation.resources.length).toBeGreaterThan(0);
      expect(await comparable(light.get(stack)!)).toStrictEqual(await comparable(evaluation));
    }
  });
});
