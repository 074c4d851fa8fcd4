/**
 * The one error for a config file that does not validate (a stack file, policy-config.json):
 * it names the file, lists every problem (`<key>: <reason>`) and says how to fix them. No
 * Pulumi SDK here: programs, the policy pack and the tools all throw it.
 */
export interface ConfigErrorWording {
  /** What the file holds, as the first line says it: `Invalid <subject> <file>:`. */
  readonly subject?: string;
  /** The last line: how to fix the problems. */
  readonly fix?: string;
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
    wording: ConfigErrorWording = {},
  ) {
    const subject = wording.subject ?? "config in";
    const fix =
      wording.fix ??
      `Fix these values under "config:" in ${file} (or with "pulumi config set <key> <value>").`;
    super(
      `Invalid ${subject} ${file}:\n` + problems.map((p) => `  - ${p}`).join("\n") + `\n${fix}`,
    );
    this.name = "ConfigError";
  }

  /** The stack file, for callers written when this error was only about stack files. */
  get stackFile(): string {
    return this.file;
  }
}
