/** `graph`: the dependency graph of lib/model/graph.ts as a Mermaid flowchart (`--json`: the edges). */
import { EDGES, toMermaid } from "../../../lib/model/graph";
import { PROJECTS } from "../../../lib/model/stacks";
import { type CommandModule, EXIT_OK } from "./command";
import { jsonOption } from "./options";

export const graph: CommandModule = {
  name: "graph",
  description: "print the dependency graph as a Mermaid flowchart",
  configure: (cmd) => cmd.addOption(jsonOption("print the edges as JSON")),
  run(o, { io }) {
    io.out(
      o.json
        ? JSON.stringify({ version: 1, projects: PROJECTS, edges: EDGES }, null, 2)
        : toMermaid(),
    );
    return EXIT_OK;
  },
};
