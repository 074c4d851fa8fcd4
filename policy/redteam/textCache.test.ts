import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cachedText } from "./textCache";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "redteam-text-cache-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("cachedText", () => {
  it("makes a text once per key and reads it back after", async () => {
    const make = jest.fn(async () => "formatted");
    expect(await cachedText(["prettier", "3.10.1", "{}", ".ts", "a"], make, dir)).toBe("formatted");
    expect(await cachedText(["prettier", "3.10.1", "{}", ".ts", "a"], make, dir)).toBe("formatted");
    expect(make).toHaveBeenCalledTimes(1);
    expect(fs.readdirSync(dir)).toHaveLength(1);
  });

  it("makes it again when any part of the key differs, the parts' boundaries included", async () => {
    const make = jest.fn((): string => `made ${make.mock.calls.length}`);
    await cachedText(["prettier", "3.10.1", "a"], make, dir);
    await cachedText(["prettier", "3.10.2", "a"], make, dir);
    await cachedText(["prettier", "3.10.1", "b"], make, dir);
    await cachedText(["prettier3", ".10.1", "a"], make, dir);
    expect(make).toHaveBeenCalledTimes(4);
    expect(await cachedText(["prettier", "3.10.2", "a"], make, dir)).toBe("made 2");
  });

  it("still answers when the folder cannot be written, making the text each time", async () => {
    const file = path.join(dir, "a-file");
    fs.writeFileSync(file, "");
    const make = jest.fn(() => "text");
    expect(await cachedText(["k"], make, path.join(file, "cache"))).toBe("text");
    expect(await cachedText(["k"], make, path.join(file, "cache"))).toBe("text");
    expect(make).toHaveBeenCalledTimes(2);
  });

  it("passes on what making the text throws, and keeps nothing", async () => {
    await expect(
      cachedText(
        ["k"],
        () => {
          throw new Error("SyntaxError: ';' expected. (3:7)");
        },
        dir,
      ),
    ).rejects.toThrow("SyntaxError: ';' expected. (3:7)");
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
