// The Pulumi CLI calls the exported function and uses what it returns as the stack outputs.
import { glueDatabaseProgram } from "./program";

export = glueDatabaseProgram;
