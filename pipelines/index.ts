// The Pulumi CLI calls the exported function and uses what it returns as the stack outputs.
import { pipelinesProgram } from "./program";

export = pipelinesProgram;
