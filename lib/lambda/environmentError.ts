/** A Lambda's environment variables are missing or wrong: every problem at once, and where to fix them. */
export class EnvironmentError extends Error {
  constructor(
    functionName: string,
    readonly problems: readonly string[],
    whereSet: string,
  ) {
    super(
      `The ${functionName} function's environment variables are wrong:\n` +
        problems.map((p) => `  - ${p}`).join("\n") +
        `\nSet them on the Lambda (${whereSet}).`,
    );
    this.name = "EnvironmentError";
  }
}
