#!/usr/bin/env node
/**
 * Reads the flags a Pulumi CLI command registers from the CLI's Go source and prints them as
 * FlagSpec JSON, to compare with `CLI_COMMANDS` of `tools/stacks/pulumi/pulumiCli.ts`, so that
 * the table can be re-read when the pinned CLI version changes:
 *
 *   node tools/stacks/testing/readCliFlags.js <pulumi/pulumi git dir> <tag> <file.go>...
 *
 * It understands the registration forms the commands use: `Flags().XxxVar(&v, "name", ...)`,
 * `XxxVarP(&v, "name", "s", ...)`, `XxxP("name", "s", ...)`, `Xxx("name", ...)`, a later
 * `.NoOptDefVal =` (the value becomes optional) and an enclosing `if env.DebugCommands.Value()`.
 * Anything it does not recognise is reported on stderr, to be read by hand.
 */
const { execFileSync } = require("node:child_process");

const [gitDir, tag, ...files] = process.argv.slice(2);
const BOOL = /^Bool/;

function flagsOf(source) {
  const flags = [];
  const re = /cmd\.(Persistent)?Flags\(\)\.(\w+)\(/g;
  let m;
  while ((m = re.exec(source))) {
    const persistent = m[1] === "Persistent";
    const fn = m[2];
    if (/^(Lookup|MarkHidden|MarkDeprecated|VisitAll|FlagUsages|Changed|Get\w*|Set\w*)$/.test(fn))
      continue;
    // the call's text up to its closing parenthesis
    let depth = 1;
    let i = re.lastIndex;
    while (depth > 0 && i < source.length) {
      if (source[i] === "(") depth++;
      else if (source[i] === ")") depth--;
      else if (source[i] === '"' || source[i] === "`") {
        const q = source[i];
        i++;
        while (source[i] !== q) i += source[i] === "\\" ? 2 : 1;
      }
      i++;
    }
    const call = source.slice(re.lastIndex, i - 1);
    const strings = [...call.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((s) => s[1]);
    const short = /P$|PF$/.test(fn);
    const name = strings[0];
    if (!name) {
      process.stderr.write(`not understood: ${fn}(${call.slice(0, 80)})\n`);
      continue;
    }
    const before = source.slice(0, m.index);
    const debugOnly = /if env\.DebugCommands\.Value\(\) \{[^}]*$/.test(before);
    flags.push({
      name,
      ...(short && strings[1] ? { short: strings[1] } : {}),
      value: BOOL.test(fn) ? "none" : "required",
      ...(persistent ? { persistent: true } : {}),
      ...(debugOnly ? { debugOnly: true } : {}),
    });
  }
  // pkg/util/outputflag/outputflag.go: Var and VarP register --output (no shorthand, a value);
  // VarWithJSONAlias adds a bare-able --json/-j.
  const output = /outputflag\.(Var|VarP|VarWithJSONAlias)\(/.exec(source);
  if (output) {
    flags.push({ name: "output", value: "required" });
    if (output[1] === "VarWithJSONAlias")
      flags.push({ name: "json", short: "j", value: "optional" });
  }
  for (const f of flags) {
    const noOpt = new RegExp(`(?:Lookup|Flag)\\("${f.name}"\\)\\.NoOptDefVal = `);
    if (noOpt.test(source) && f.value === "required") f.value = "optional";
  }
  return flags;
}

const out = {};
for (const file of files) {
  const source = execFileSync("git", ["-C", gitDir, "show", `${tag}:${file}`], {
    encoding: "utf8",
  });
  out[file] = flagsOf(source);
}
process.stdout.write(JSON.stringify(out, null, 1) + "\n");
