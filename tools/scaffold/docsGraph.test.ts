import * as fs from "node:fs";
import * as path from "node:path";
import { deploymentOrder, toMermaid } from "../../lib/model/graph";
import { REPO_ROOT } from "../../lib/model/stacks";
import { README_FILE, docsGraphBlocks, readDocsGraph, writeDocsGraph } from "./docsGraph";

describe("README.md's dependency graph", () => {
  it("is lib/model/graph.ts's Mermaid graph and first-deployment order (npm run stacks -- new rewrites it)", () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, README_FILE), "utf8");
    expect(readDocsGraph(readme)).toEqual(docsGraphBlocks(toMermaid(), deploymentOrder()));
  });
});

describe("writeDocsGraph", () => {
  const readme = [
    "# title",
    "<!-- graph:begin (generated from lib/model/graph.ts) -->",
    "old graph",
    "<!-- graph:end -->",
    "between",
    "<!-- order:begin (generated from lib/model/graph.ts) -->",
    "old order",
    "<!-- order:end -->",
    "end",
  ].join("\n");

  it("replaces what is between the markers and keeps everything else", () => {
    expect(writeDocsGraph(readme, "flowchart LR\n  a --> b", ["b", "a"])).toBe(
      [
        "# title",
        "<!-- graph:begin (generated from lib/model/graph.ts) -->",
        "",
        "```mermaid",
        "flowchart LR",
        "  a --> b",
        "```",
        "",
        "<!-- graph:end -->",
        "between",
        "<!-- order:begin (generated from lib/model/graph.ts) -->",
        "",
        "1. b",
        "2. a",
        "",
        "<!-- order:end -->",
        "end",
      ].join("\n"),
    );
  });

  it("names the markers when they are missing", () => {
    expect(() => writeDocsGraph(readme.replace("<!-- order:end -->", ""), "", [])).toThrow(
      'README.md: the markers "<!-- order:begin (generated from lib/model/graph.ts) -->" and ' +
        '"<!-- order:end -->" are missing or out of order; put them back around the numbered order.',
    );
  });
});
