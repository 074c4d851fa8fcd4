/**
 * A stand-in for `pulumi-language-nodejs` v3.248.0, the Node.js language host, used only by the
 * real-CLI test tier (tools/realCli). The real host is the Go module
 * github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3 at commit a88168d8 (tag
 * v3.248.0), which this machine's Go module proxy refuses (403 for the commit, its
 * pseudo-version and @latest), so it cannot be built here; building it from a fetched mirror is
 * not allowed. Everything below follows sdk/nodejs/cmd/pulumi-language-nodejs/main.go at
 * v3.248.0 (cited per function as main.go) and starts the real Node SDK entry points
 * (@pulumi/pulumi/cmd/run, @pulumi/pulumi/cmd/run-policy-pack), so the real SDK runs the real
 * program and the real policy pack. What it leaves out is listed in tools/realCli/README.md.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import * as languageGrpc from "@pulumi/pulumi/proto/language_grpc_pb";
import * as languagePb from "@pulumi/pulumi/proto/language_pb";
import * as pluginPb from "@pulumi/pulumi/proto/plugin_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";

/** The version this host reports (main.go GetPluginInfo returns version.Version). */
export const LANGUAGE_HOST_VERSION = "3.248.0";

/** main.go: nodeJSProcessExitedAfterShowingUserActionableMessage. */
const EXIT_AFTER_USER_ACTIONABLE_MESSAGE = 32;

/** main.go parseOptions: the runtime options of Pulumi.yaml / PulumiPolicy.yaml. */
export interface NodeOptions {
  readonly typescript: boolean;
  readonly tsconfigpath: string;
  readonly nodeargs: string;
}

/** main.go parseOptions, with its error texts; the packagemanager option is checked the same way. */
export function parseOptions(options: Record<string, unknown>): NodeOptions {
  let typescript = true;
  let tsconfigpath = "";
  let nodeargs = "";
  if ("typescript" in options) {
    if (typeof options.typescript !== "boolean")
      throw new Error("typescript option must be a boolean");
    typescript = options.typescript;
  }
  if ("tsconfig" in options) {
    if (typeof options.tsconfig !== "string")
      throw new Error("tsconfigpath option must be a string");
    tsconfigpath = options.tsconfig;
  }
  if ("nodeargs" in options) {
    if (typeof options.nodeargs !== "string") throw new Error("nodeargs option must be a string");
    nodeargs = options.nodeargs;
  }
  if ("packagemanager" in options) {
    const pm = options.packagemanager;
    if (typeof pm !== "string") throw new Error("packagemanager option must be a string");
    if (!["auto", "npm", "yarn", "pnpm", "bun"].includes(pm)) {
      throw new Error(
        `packagemanager option must be one of auto, npm, yarn, pnpm or bun, got ${JSON.stringify(pm)}`,
      );
    }
  }
  return { typescript, tsconfigpath, nodeargs };
}

export interface PackageDependency {
  readonly name: string;
  readonly kind: "resource";
  readonly version: string;
  readonly server: string;
}

interface PackageJson {
  name?: string;
  version?: string;
  pulumi?: { resource?: boolean; name?: string; version?: string; server?: string };
}

/**
 * main.go getPackagesFromDir: every package.json inside a node_modules folder below `dir` whose
 * `pulumi.resource` is true names a resource plugin (name from `pulumi.name` or the @pulumi/
 * scope, version from `pulumi.version` or the package version, prefixed with "v"). Folders that
 * are policy packs (hold PulumiPolicy.yaml) are not entered; symlinks are followed once.
 */
export function getPackagesFromDir(
  dir: string,
  inNodeModules = false,
  visited = new Set<string>(),
): PackageDependency[] {
  const abs = path.resolve(dir);
  if (visited.has(abs)) return [];
  visited.add(abs);
  const found: PackageDependency[] = [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(abs, { withFileTypes: true });
  } catch {
    return found; // the real host logs this at -v=3 and carries on
  }
  for (const entry of entries) {
    let current = path.join(abs, entry.name);
    let isDir = entry.isDirectory();
    if (entry.isSymbolicLink()) {
      try {
        current = fs.realpathSync(current);
        isDir = fs.statSync(current).isDirectory();
      } catch {
        continue;
      }
    }
    if (isDir) {
      // workspace.DetectPolicyPackPathAt: a folder holding PulumiPolicy.yaml is a policy pack.
      if (fs.existsSync(path.join(current, "PulumiPolicy.yaml"))) continue;
      found.push(
        ...getPackagesFromDir(
          current,
          inNodeModules || path.basename(abs) === "node_modules",
          visited,
        ),
      );
    } else if (inNodeModules && entry.name === "package.json") {
      let info: PackageJson;
      try {
        info = JSON.parse(fs.readFileSync(current, "utf8")) as PackageJson;
      } catch {
        continue;
      }
      const dep = packageInfo(info);
      if (dep) found.push(dep);
    }
  }
  return found;
}

/** main.go getPackageInfo, getPluginName, getPluginVersion. */
export function packageInfo(info: PackageJson): PackageDependency | undefined {
  if (!info.pulumi?.resource) return undefined;
  let name = info.pulumi.name ?? "";
  if (name === "") {
    if (!info.name) throw new Error('missing expected "name" property');
    if (!info.name.startsWith("@pulumi/")) {
      throw new Error(
        `Missing property "name" for the third-party plugin '${info.name}' inside package.json under the "pulumi" section.`,
      );
    }
    name = info.name.slice("@pulumi/".length);
  }
  let version = info.pulumi.version ?? "";
  if (version === "") {
    if (!info.version) throw new Error('Missing expected "version" property');
    version = info.version;
  }
  if (!version.startsWith("v")) version = `v${version}`;
  return { name, kind: "resource", version, server: info.pulumi.server ?? "" };
}

/** main.go locateModule: resolve a module from the program's folder, with its error text. */
export function locateModule(mod: string, programDir: string, isPlugin: boolean): string {
  try {
    return require.resolve(mod, { paths: [programDir] });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND") {
      const install = isPlugin ? `npm install in ${programDir}` : "pulumi install";
      throw new Error(
        `It looks like the Pulumi SDK has not been installed. Have you run ${install}?`,
      );
    }
    throw e;
  }
}

export interface RunArguments {
  readonly runPath: string;
  readonly monitor: string;
  readonly engine: string;
  readonly organization: string;
  readonly project: string;
  readonly rootDirectory: string;
  readonly stack: string;
  readonly pwd: string;
  readonly dryRun: boolean;
  readonly parallel: number;
  readonly tracing: string;
  readonly entryPoint: string;
  readonly args: readonly string[];
}

/** main.go constructArguments: the argv of `node` after its own options, empty values left out. */
export function constructArguments(a: RunArguments): string[] {
  const out = [a.runPath];
  const maybe = (k: string, v: string) => {
    if (v !== "") out.push(`--${k}`, v);
  };
  maybe("monitor", a.monitor);
  maybe("engine", a.engine);
  maybe("organization", a.organization);
  maybe("project", a.project);
  maybe("root-directory", a.rootDirectory);
  maybe("stack", a.stack);
  maybe("pwd", a.pwd);
  if (a.dryRun) out.push("--dry-run");
  maybe("parallel", String(a.parallel));
  maybe("tracing", a.tracing);
  out.push(a.entryPoint, ...a.args);
  return out;
}

/**
 * main.go constructConfig: config keys `<namespace>:<name>` are passed as
 * `<namespace>:config:<name>` for older SDKs (config.ParseKey refuses a key without a namespace).
 */
export function constructConfig(config: ReadonlyMap<string, string>): string {
  const out: Record<string, string> = {};
  for (const [key, value] of config) {
    const at = key.indexOf(":");
    if (at <= 0)
      throw new Error(
        `could not parse ${key} as a configuration key (configuration keys should be of the form \`<namespace>:<name>\`)`,
      );
    const namespace = key.slice(0, at);
    const rest = key.slice(at + 1);
    const name = rest.startsWith("config:") ? rest.slice("config:".length) : rest;
    out[`${namespace}:config:${name}`] = value;
  }
  return JSON.stringify(out);
}

/** Splits `nodeargs` like shlex.Split does for the simple cases (quotes, backslashes). */
export function splitArgs(text: string): string[] {
  const out: string[] = [];
  let cur = "";
  let has = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === "\\" && quote === '"' && i + 1 < text.length) cur += text[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (c === "\\" && i + 1 < text.length) {
      cur += text[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has || cur) out.push(cur);
      cur = "";
      has = false;
    } else {
      cur += c;
    }
  }
  if (quote) throw new Error("EOF found when expecting closing quote");
  if (has || cur) out.push(cur);
  return out;
}

function structToObject(
  s: { toJavaScript(): Record<string, unknown> } | undefined,
): Record<string, unknown> {
  return s ? s.toJavaScript() : {};
}

function envList(list: readonly string[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const item of list) {
    const at = item.indexOf("=");
    if (at > 0) env[item.slice(0, at)] = item.slice(at + 1);
  }
  return env;
}

/**
 * sdk/go/common/util/rpcutil/serve.go and rpcutil.GrpcChannelOptions: the engine's plugins
 * accept messages up to 400 MiB; grpc-js's default (4 MiB) refuses a resource whose inputs hold a
 * bundled Lambda ("Received message larger than max").
 */
const MAX_RPC_MESSAGE_SIZE = 1024 * 1024 * 400;
const GRPC_OPTIONS = {
  "grpc.max_receive_message_length": MAX_RPC_MESSAGE_SIZE,
  "grpc.max_send_message_length": MAX_RPC_MESSAGE_SIZE,
};

/** A unary method of a generic grpc-js client. */
type UnaryMethod = (
  request: unknown,
  callback: (err: grpc.ServiceError | null, value?: unknown) => void,
) => void;
type AnalyzerClient = grpc.Client & Record<string, UnaryMethod>;

type Callback<T> = (err: grpc.ServiceError | null, value?: T) => void;

function grpcError(code: grpc.status, details: string): grpc.ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
}

export class LanguageHost {
  private engineAddress: string;
  private readonly tracing: string;
  private readonly children = new Set<ChildProcess>();

  constructor(engineAddress: string, tracing: string) {
    this.engineAddress = engineAddress;
    this.tracing = tracing;
  }

  /** The service implementation; anything not listed answers UNIMPLEMENTED like grpc-go's default. */
  implementation(): grpc.UntypedServiceImplementation {
    return {
      handshake: (
        call: grpc.ServerUnaryCall<languagePb.LanguageHandshakeRequest, unknown>,
        cb: Callback<languagePb.LanguageHandshakeResponse>,
      ) => {
        // main.go Handshake: remember the engine address (the health check is replaced by the
        // parent watch in main below).
        this.engineAddress = call.request.getEngineAddress();
        cb(null, new languagePb.LanguageHandshakeResponse());
      },
      getPluginInfo: (_call: unknown, cb: Callback<pluginPb.PluginInfo>) => {
        cb(null, new pluginPb.PluginInfo().setVersion(LANGUAGE_HOST_VERSION));
      },
      getRequiredPlugins: (_call: unknown, cb: Callback<never>) => {
        // main.go GetRequiredPlugins: unimplemented since GetRequiredPackages replaced it.
        cb(grpcError(grpc.status.UNIMPLEMENTED, "method GetRequiredPlugins not implemented"));
      },
      getRequiredPackages: (
        call: grpc.ServerUnaryCall<languagePb.GetRequiredPackagesRequest, unknown>,
        cb: Callback<languagePb.GetRequiredPackagesResponse>,
      ) => {
        const dir = call.request.getInfo()?.getProgramDirectory() ?? "";
        let deps: PackageDependency[] = [];
        try {
          deps = getPackagesFromDir(dir);
        } catch (e) {
          // main.go logs discovery errors and answers with what it found.
          process.stderr.write(
            `one or more errors while discovering plugins: ${(e as Error).message}\n`,
          );
        }
        const res = new languagePb.GetRequiredPackagesResponse();
        res.setPackagesList(
          deps.map((d) =>
            new pluginPb.PackageDependency()
              .setName(d.name)
              .setKind(d.kind)
              .setVersion(d.version)
              .setServer(d.server),
          ),
        );
        cb(null, res);
      },
      run: (
        call: grpc.ServerUnaryCall<languagePb.RunRequest, unknown>,
        cb: Callback<languagePb.RunResponse>,
      ) => {
        this.run(call.request).then(
          (r) => cb(null, r),
          (e: Error) => cb(grpcError(grpc.status.UNKNOWN, e.message)),
        );
      },
      runPlugin: (
        call: grpc.ServerWritableStream<languagePb.RunPluginRequest, languagePb.RunPluginResponse>,
      ) => {
        this.runPlugin(call).then(
          () => call.end(),
          (e: Error) => call.destroy(grpcError(grpc.status.UNKNOWN, e.message)),
        );
      },
      cancel: (_call: unknown, cb: Callback<Empty>) => {
        // main.go Cancel: cancels the running program.
        for (const child of this.children) child.kill("SIGINT");
        cb(null, new Empty());
      },
    };
  }

  /** main.go Run and execRuntime. */
  private async run(req: languagePb.RunRequest): Promise<languagePb.RunResponse> {
    const res = new languagePb.RunResponse();
    if (this.engineAddress === "") {
      throw new Error("when debugging or running explicitly, must call Handshake before Run");
    }
    const info = req.getInfo();
    if (!info) throw new Error("RunRequest has no program info");
    let runPath: string;
    let opts: NodeOptions;
    try {
      opts = parseOptions(structToObject(info.getOptions()));
      runPath = locateModule(
        process.env.PULUMI_LANGUAGE_NODEJS_RUN_PATH || "@pulumi/pulumi/cmd/run",
        info.getProgramDirectory(),
        false,
      );
    } catch (e) {
      return res.setError((e as Error).message);
    }
    const configMap = new Map(req.getConfigMap().toArray() as [string, string][]);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PULUMI_CONFIG: constructConfig(configMap),
      PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(req.getConfigsecretkeysList()),
    };
    if (opts.typescript) env.PULUMI_NODEJS_TYPESCRIPT = "true";
    if (opts.tsconfigpath !== "") env.PULUMI_NODEJS_TSCONFIG_PATH = opts.tsconfigpath;
    // The real host puts its own monitor proxy between the SDK and the engine, only to serve the
    // deprecated synchronous invokes over --sync pipes; the SDK is given the engine's monitor
    // directly here and no --sync, so a synchronous invoke fails instead of working.
    const argv = [
      ...splitArgs(opts.nodeargs),
      ...constructArguments({
        runPath,
        monitor: req.getMonitorAddress(),
        engine: this.engineAddress,
        organization: req.getOrganization(),
        project: req.getProject(),
        rootDirectory: info.getRootDirectory(),
        stack: req.getStack(),
        pwd: info.getProgramDirectory(),
        dryRun: req.getDryrun(),
        parallel: req.getParallel(),
        tracing: this.tracing,
        entryPoint: info.getEntryPoint(),
        args: req.getArgsList(),
      }),
    ];
    const code = await new Promise<number | string>((resolve) => {
      const child = spawn(process.execPath, argv, { env, stdio: ["ignore", "inherit", "inherit"] });
      this.children.add(child);
      child.on("error", (e) =>
        resolve(`Problem executing program (could not run language executor): ${e.message}`),
      );
      child.on("close", (c, signal) => {
        this.children.delete(child);
        resolve(c ?? (signal ? 128 : 1));
      });
    });
    if (typeof code === "string") return res.setError(code);
    if (code === EXIT_AFTER_USER_ACTIONABLE_MESSAGE) return res.setBail(true);
    if (code !== 0) return res.setError(`Program exited with non-zero exit code: ${code}`);
    return res;
  }

  /** main.go RunPlugin: a policy pack (kind analyzer) through the policy proxy, others directly. */
  private async runPlugin(
    call: grpc.ServerWritableStream<languagePb.RunPluginRequest, languagePb.RunPluginResponse>,
  ): Promise<void> {
    const req = call.request;
    if (this.engineAddress === "") {
      throw new Error("when debugging or running explicitly, must call Handshake before Run");
    }
    const info = req.getInfo();
    if (!info) throw new Error("RunPluginRequest has no program info");
    const opts = parseOptions(structToObject(info.getOptions()));
    const given = req.getEnvList();
    const env: NodeJS.ProcessEnv = given.length > 0 ? envList(given) : { ...process.env };
    if (opts.typescript) env.PULUMI_NODEJS_TYPESCRIPT = "true";
    if (opts.tsconfigpath !== "") env.PULUMI_NODEJS_TSCONFIG_PATH = opts.tsconfigpath;
    const isPolicyPack = req.getKind() === "analyzer";
    const runPath = locateModule(
      isPolicyPack
        ? "@pulumi/pulumi/cmd/run-policy-pack"
        : process.env.PULUMI_LANGUAGE_NODEJS_RUN_PATH || "@pulumi/pulumi/cmd/run-plugin",
      info.getProgramDirectory(),
      true,
    );
    const programDir = info.getProgramDirectory();
    // For policy packs the program directory comes last, for other plugins first.
    const args = [
      runPath,
      ...splitArgs(opts.nodeargs),
      ...(isPolicyPack ? [...req.getArgsList(), programDir] : [programDir, ...req.getArgsList()]),
    ];
    const send = (kind: "stdout" | "stderr", data: Buffer | string) => {
      const msg = new languagePb.RunPluginResponse();
      const bytes = typeof data === "string" ? Buffer.from(data) : data;
      if (kind === "stdout") msg.setStdout(bytes);
      else msg.setStderr(bytes);
      call.write(msg);
    };
    if (!isPolicyPack) {
      await this.spawnPlugin(args, req.getPwd(), env, call, send);
      return;
    }
    const proxy = await PolicyProxy.start();
    try {
      // sdk/policy_proxy.go AwaitConfiguration: the engine reads the proxy's port first.
      send("stdout", `${proxy.port}\n`);
      const config = await proxy.configuration;
      if (config) {
        const maybe = (k: string, v: string) => {
          if (v !== "") env[k] = v;
        };
        maybe("PULUMI_NODEJS_ORGANIZATION", config.getOrganization());
        maybe("PULUMI_NODEJS_PROJECT", config.getProject());
        maybe("PULUMI_NODEJS_STACK", config.getStack());
        maybe("PULUMI_NODEJS_DRY_RUN", String(config.getDryRun()));
        const cfg = Object.fromEntries(config.getConfigMap().toArray() as [string, string][]);
        env.PULUMI_CONFIG = JSON.stringify(cfg);
      }
      // Policy packs run in their own folder (main.go RunPlugin: cmd.Dir = ProgramDirectory).
      await this.spawnPlugin(args, programDir, env, call, send, proxy);
    } finally {
      proxy.stop();
    }
  }

  private spawnPlugin(
    args: string[],
    cwd: string,
    env: NodeJS.ProcessEnv,
    call: grpc.ServerWritableStream<languagePb.RunPluginRequest, languagePb.RunPluginResponse>,
    send: (kind: "stdout" | "stderr", data: Buffer | string) => void,
    proxy?: PolicyProxy,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
      this.children.add(child);
      // The engine ends the plugin by cancelling the stream (plugin.go: Kill cancels the context).
      call.on("cancelled", () => child.kill("SIGTERM"));
      let portLine = proxy ? "" : undefined;
      child.stdout.on("data", (chunk: Buffer) => {
        if (portLine === undefined) return send("stdout", chunk);
        // sdk/policy_proxy.go Attach: the pack's first line is its port; the rest is passed on.
        portLine += chunk.toString("utf8");
        const nl = portLine.indexOf("\n");
        if (nl < 0) return;
        const port = Number(portLine.slice(0, nl).trim());
        const rest = portLine.slice(nl + 1);
        portLine = undefined;
        if (rest) send("stdout", rest);
        proxy!.attach(port).catch((e: Error) => {
          send("stderr", `${e.message}\n`);
          child.kill("SIGTERM");
        });
      });
      child.stderr.on("data", (chunk: Buffer) => send("stderr", chunk));
      child.on("error", (e) =>
        reject(
          new Error(
            `Problem executing plugin program (could not run language executor): ${e.message}`,
          ),
        ),
      );
      child.on("close", (code) => {
        this.children.delete(child);
        if (proxy && portLine !== undefined)
          proxy.fail(new Error("could not read policy pack port: EOF"));
        if (code !== 0 && code !== null && !call.cancelled) {
          reject(new Error(`Program exited with non-zero exit code: ${code}`));
        } else {
          resolve();
        }
      });
    });
  }

  killAll(): void {
    for (const child of this.children) child.kill("SIGTERM");
  }
}

/**
 * sdk/policy_proxy.go (v3.248.0) PolicyProxy: an Analyzer server that answers Handshake and
 * ConfigureStack itself, starts the pack with that configuration in its environment, then
 * forwards every other call to the pack (which @pulumi/policy serves).
 */
/**
 * The Analyzer service with the calls the proxy only forwards passed through as bytes: the real
 * proxy is Go, where decoding and re-encoding each AnalyzeRequest costs next to nothing; in
 * node, google-protobuf's decoding of every resource's properties, twice, was about a second of
 * CPU per hundred resources. The bytes reach the pack unchanged.
 */
const FORWARDED = [
  "analyze",
  "analyzeStack",
  "remediate",
  "getAnalyzerInfo",
  "getPluginInfo",
  "configure",
  "cancel",
] as const;
const asBytes = (b: Buffer) => b;
const PASS_THROUGH: grpc.ServiceDefinition = {
  ...(analyzerGrpc.AnalyzerService as unknown as grpc.ServiceDefinition),
  ...Object.fromEntries(
    FORWARDED.map((m) => [
      m,
      {
        ...(analyzerGrpc.AnalyzerService as unknown as grpc.ServiceDefinition)[m],
        requestSerialize: asBytes,
        requestDeserialize: asBytes,
        responseSerialize: asBytes,
        responseDeserialize: asBytes,
      },
    ]),
  ),
};

class PolicyProxy {
  private readonly server: grpc.Server;
  readonly port: number;
  readonly configuration: Promise<analyzerPb.AnalyzerStackConfigureRequest | undefined>;
  private resolveConfig!: (c: analyzerPb.AnalyzerStackConfigureRequest | undefined) => void;
  private configSet = false;
  private config: analyzerPb.AnalyzerStackConfigureRequest | undefined;
  private readonly client: Promise<AnalyzerClient>;
  private resolveClient!: (c: AnalyzerClient) => void;
  private rejectClient!: (e: Error) => void;

  private constructor(server: grpc.Server, port: number) {
    this.server = server;
    this.port = port;
    this.configuration = new Promise((r) => (this.resolveConfig = r));
    this.client = new Promise((res, rej) => {
      this.resolveClient = res;
      this.rejectClient = rej;
    });
    this.client.catch(() => undefined);
  }

  static async start(): Promise<PolicyProxy> {
    const server = new grpc.Server(GRPC_OPTIONS);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) =>
        e ? reject(e) : resolve(p),
      ),
    );
    const proxy = new PolicyProxy(server, port);
    const forward =
      (method: string) => (call: grpc.ServerUnaryCall<unknown, unknown>, cb: Callback<unknown>) => {
        proxy.awaitClient().then(
          (client) => client[method].call(client, call.request, cb),
          (e: Error) => cb(grpcError(grpc.status.UNKNOWN, `policy pack not started: ${e.message}`)),
        );
      };
    server.addService(PASS_THROUGH, {
      handshake: (_c: unknown, cb: Callback<analyzerPb.AnalyzerHandshakeResponse>) =>
        cb(null, new analyzerPb.AnalyzerHandshakeResponse()),
      configureStack: (
        call: grpc.ServerUnaryCall<analyzerPb.AnalyzerStackConfigureRequest, unknown>,
        cb: Callback<analyzerPb.AnalyzerStackConfigureResponse>,
      ) => {
        proxy.setConfig(call.request);
        cb(null, new analyzerPb.AnalyzerStackConfigureResponse());
      },
      ...Object.fromEntries(FORWARDED.map((m) => [m, forward(m)])),
    });
    return proxy;
  }

  private setConfig(c: analyzerPb.AnalyzerStackConfigureRequest | undefined): void {
    if (this.configSet) return; // a CompletionSource is fulfilled once
    this.configSet = true;
    this.config = c;
    this.resolveConfig(c);
  }

  /** The engine may call others first (`policy publish`): then the pack starts unconfigured. */
  private awaitClient() {
    this.setConfig(undefined);
    return this.client;
  }

  async attach(port: number): Promise<void> {
    if (!Number.isInteger(port) || port <= 0) {
      const e = new Error("could not read policy pack port");
      this.rejectClient(e);
      throw e;
    }
    const Client = grpc.makeGenericClientConstructor(PASS_THROUGH, "Analyzer");
    const client = new Client(
      `127.0.0.1:${port}`,
      grpc.credentials.createInsecure(),
      GRPC_OPTIONS,
    ) as AnalyzerClient;
    if (this.config) {
      const cfg = this.config;
      await new Promise<void>((resolve, reject) =>
        client.configureStack.call(client, cfg, (e: grpc.ServiceError | null) => {
          if (e && e.code !== grpc.status.UNIMPLEMENTED) {
            const err = new Error(`policy pack configuration failed: ${e.message}`);
            this.rejectClient(err);
            reject(err);
          } else resolve();
        }),
      );
    }
    this.resolveClient(client);
  }

  fail(e: Error): void {
    this.rejectClient(e);
  }

  stop(): void {
    this.server.forceShutdown();
  }
}

/**
 * main.go main: flags `-tracing`, `-runtime` (only nodejs here), `-version`; the first argument
 * is the engine's address. Prints the port of its gRPC server as the only line on stdout
 * (sdk/go/common/resource/plugin/plugin.go reads one line and parses it as the port).
 */
export async function main(argv: readonly string[]): Promise<void> {
  let tracing = "";
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const m = /^--?([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m) {
      positional.push(a);
      continue;
    }
    const value = () => (m[2] !== undefined ? m[2] : argv[++i]);
    if (m[1] === "version") {
      process.stdout.write(`${LANGUAGE_HOST_VERSION}\n`);
      return;
    } else if (m[1] === "tracing") tracing = value() ?? "";
    else if (m[1] === "runtime") {
      const r = value();
      if (r !== "nodejs") {
        process.stderr.write(`error: unsupported runtime: ${r} (this stand-in runs nodejs only)\n`);
        process.exit(1);
      }
    } else {
      process.stderr.write(`flag provided but not defined: -${m[1]}\n`);
      process.exit(2);
    }
  }
  const host = new LanguageHost(positional[0] ?? "", tracing);
  const server = new grpc.Server(GRPC_OPTIONS);
  server.addService(languageGrpc.LanguageRuntimeService, host.implementation());
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) =>
      e ? reject(e) : resolve(p),
    ),
  );
  process.stdout.write(`${port}\n`);
  // The real host health-checks the engine and exits when it is gone (rpcutil.Healthcheck); here
  // the same end comes from watching the parent: an engine killed with SIGKILL leaves no orphans.
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid !== parent) {
      host.killAll();
      process.exit(0);
    }
  }, 500);
  watch.unref();
  const stop = () => {
    host.killAll();
    server.forceShutdown();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: Error) => {
    process.stderr.write(`${e.stack ?? e.message}\n`);
    process.exit(1);
  });
}
