/**
 * Structured logs: one JSON object per line on stdout. Writing to stdout directly (rather
 * than through `console`, which the Lambda runtime wraps when the log format is JSON) keeps
 * each record a top-level JSON event that CloudWatch Logs Insights can query by field.
 */

export type LogLevel = "DEBUG" | "INFO" | "WARN" | "ERROR";
export type LogFields = Record<string, unknown>;
export type LogSink = (line: string) => void;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const stdoutSink: LogSink = (line) => {
  process.stdout.write(`${line}\n`);
};

/** Serialises bigint as a number string and errors as their name and message. */
function replacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

export function createLogger(sink: LogSink = stdoutSink, base: LogFields = {}): Logger {
  const write = (level: LogLevel, message: string, fields: LogFields = {}) =>
    sink(
      JSON.stringify(
        { timestamp: new Date().toISOString(), level, message, ...base, ...fields },
        replacer,
      ),
    );
  return {
    info: (message, fields) => write("INFO", message, fields),
    warn: (message, fields) => write("WARN", message, fields),
    error: (message, fields) => write("ERROR", message, fields),
  };
}

/** A logger that keeps the parsed records, for tests. */
export function memoryLogger(): Logger & { readonly records: LogFields[] } {
  const records: LogFields[] = [];
  const logger = createLogger((line) => records.push(JSON.parse(line) as LogFields));
  return Object.assign(logger, { records });
}
