/**
 * The commands of `npm run stacks`, in the order `--help` lists them. To add one: write
 * commands/<name>.ts exporting a CommandModule (command.ts; options from options.ts, anything
 * heavy required inside `run`), and add it here.
 */
import { cancel } from "./cancel";
import type { CommandModule } from "./command";
import { destroy } from "./destroy";
import { diff } from "./diff";
import { doctor } from "./doctor";
import { graph } from "./graph";
import { init } from "./init";
import { newProject } from "./new";
import { order } from "./order";
import { plan } from "./plan";
import { preview } from "./preview";
import { refresh } from "./refresh";
import { up } from "./up";

export const COMMAND_MODULES: readonly CommandModule[] = [
  order,
  graph,
  plan,
  preview,
  up,
  refresh,
  destroy,
  cancel,
  doctor,
  init,
  diff,
  newProject,
];

export const COMMANDS: readonly string[] = COMMAND_MODULES.map((c) => c.name);
