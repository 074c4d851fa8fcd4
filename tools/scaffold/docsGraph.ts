/**
 * The dependency graph in README.md (a Mermaid block and the numbered first-deployment order)
 * is generated from lib/model/graph.ts between HTML-comment markers: `stacks new` rewrites it,
 * and docsGraph.test.ts fails when someone edits the graph without it.
 */

export const README_FILE = "README.md";

const BLOCKS = {
  graph: ["<!-- graph:begin (generated from lib/model/graph.ts) -->", "<!-- graph:end -->"],
  order: ["<!-- order:begin (generated from lib/model/graph.ts) -->", "<!-- order:end -->"],
} as const;

function between(readme: string, name: keyof typeof BLOCKS): { start: number; end: number } {
  const [begin, end] = BLOCKS[name];
  const start = readme.indexOf(begin);
  const stop = readme.indexOf(end);
  if (start < 0 || stop < start) {
    throw new Error(
      `${README_FILE}: the markers "${begin}" and "${end}" are missing or out of order; ` +
        `put them back around the ${name === "graph" ? "Mermaid block" : "numbered order"}.`,
    );
  }
  return { start: start + begin.length, end: stop };
}

/** What goes between each pair of markers. */
export function docsGraphBlocks(mermaid: string, order: readonly string[]) {
  return {
    graph: `\n\n\`\`\`mermaid\n${mermaid}\n\`\`\`\n\n`,
    order: `\n\n${order.map((p, i) => `${i + 1}. ${p}`).join("\n")}\n\n`,
  };
}

/** The README's current blocks, as written. */
export function readDocsGraph(readme: string): { graph: string; order: string } {
  const slice = (name: keyof typeof BLOCKS) => {
    const { start, end } = between(readme, name);
    return readme.slice(start, end);
  };
  return { graph: slice("graph"), order: slice("order") };
}

/** The README with both blocks regenerated; everything outside the markers is kept. */
export function writeDocsGraph(readme: string, mermaid: string, order: readonly string[]): string {
  const blocks = docsGraphBlocks(mermaid, order);
  let text = readme;
  for (const name of ["graph", "order"] as const) {
    const { start, end } = between(text, name);
    text = text.slice(0, start) + blocks[name] + text.slice(end);
  }
  return text;
}
