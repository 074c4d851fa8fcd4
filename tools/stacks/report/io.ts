/** Where the CLI writes and how it asks: the process by default, a recorder in tests. */
import * as readline from "node:readline";

export interface Io {
  /** Writes one line (a newline is added) to standard output. */
  out(line: string): void;
  /** Writes one line to standard error. */
  err(line: string): void;
  /** Whether a person is at a terminal (stdin and stderr are TTYs), so that asking makes sense. */
  readonly interactive: boolean;
  /** Asks a question on the terminal and resolves with the answer. */
  prompt(question: string): Promise<string>;
}

export function processIo(): Io {
  return {
    out: (line) => void process.stdout.write(`${line}\n`),
    err: (line) => void process.stderr.write(`${line}\n`),
    interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY),
    prompt: (question) =>
      new Promise((resolve) => {
        const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
        rl.question(question, (answer) => {
          rl.close();
          resolve(answer);
        });
      }),
  };
}

/** An Io that records what was written, for tests; `answers` are returned by prompt in turn. */
export function recordingIo(options: { interactive?: boolean; answers?: string[] } = {}): Io & {
  stdout: string[];
  stderr: string[];
  prompts: string[];
} {
  const answers = [...(options.answers ?? [])];
  const rec = {
    stdout: [] as string[],
    stderr: [] as string[],
    prompts: [] as string[],
    interactive: options.interactive ?? false,
    out: (line: string) => void rec.stdout.push(line),
    err: (line: string) => void rec.stderr.push(line),
    prompt: (question: string) => {
      rec.prompts.push(question);
      return Promise.resolve(answers.shift() ?? "");
    },
  };
  return rec;
}
