// The Pulumi CLI calls the exported function and uses what it returns as the stack outputs.
import { metadataProgram } from "./program";

export = metadataProgram;
