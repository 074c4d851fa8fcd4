/**
 * Reads and extends the project registry where it lives, as TypeScript literals:
 * lib/model/stacks.ts (ENVIRONMENTS, PROJECTS, STACK_ENVIRONMENTS) and lib/model/graph.ts
 * (EDGES). Both are parsed with the TypeScript compiler API and edited by inserting text at the
 * nodes' positions, so comments and the literal types (`Project` stays a union) are kept; the
 * caller formats the result with prettier. See README.md here for why not a JSON file.
 */
import * as ts from "typescript";

export const STACKS_FILE = "lib/model/stacks.ts";
export const GRAPH_FILE = "lib/model/graph.ts";

export interface RegistryEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: "explicit" | "implicit";
  readonly why: string;
}

export interface Registry {
  readonly environments: string[];
  readonly projects: string[];
  readonly stackEnvironments: Record<string, string[]>;
  readonly edges: RegistryEdge[];
}

/** The registry cannot be read as literals: someone changed the shape the scaffold edits. */
export class RegistryShapeError extends Error {
  constructor(file: string, what: string) {
    super(
      `${file}: ${what}. "stacks new" edits the registry as literals; restore that shape or add the project by hand.`,
    );
    this.name = "RegistryShapeError";
  }
}

function parse(file: string, text: string): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
}

/** The initializer of `export const <name> = ...`, without `as const` / `satisfies`. */
function initializer(source: ts.SourceFile, name: string): ts.Expression {
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const d of statement.declarationList.declarations) {
      if (ts.isIdentifier(d.name) && d.name.text === name && d.initializer) {
        let e = d.initializer;
        while (ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
        return e;
      }
    }
  }
  throw new RegistryShapeError(source.fileName, `no "const ${name} = ..." declaration`);
}

function arrayLiteral(source: ts.SourceFile, name: string): ts.ArrayLiteralExpression {
  const e = initializer(source, name);
  if (!ts.isArrayLiteralExpression(e)) {
    throw new RegistryShapeError(source.fileName, `${name} is not an array literal`);
  }
  return e;
}

function strings(source: ts.SourceFile, name: string, array: ts.ArrayLiteralExpression): string[] {
  return array.elements.map((e, i) => {
    if (!ts.isStringLiteralLike(e)) {
      throw new RegistryShapeError(source.fileName, `${name}[${i}] is not a string literal`);
    }
    return e.text;
  });
}

function propertyName(p: ts.PropertyAssignment): string {
  const n = p.name;
  if (ts.isIdentifier(n) || ts.isStringLiteralLike(n)) return n.text;
  throw new RegistryShapeError(p.getSourceFile().fileName, `a computed property name`);
}

function stackEnvironmentsOf(source: ts.SourceFile, environments: string[]) {
  const object = initializer(source, "STACK_ENVIRONMENTS");
  if (!ts.isObjectLiteralExpression(object)) {
    throw new RegistryShapeError(source.fileName, "STACK_ENVIRONMENTS is not an object literal");
  }
  const result: Record<string, string[]> = {};
  for (const p of object.properties) {
    if (!ts.isPropertyAssignment(p)) {
      throw new RegistryShapeError(source.fileName, "STACK_ENVIRONMENTS has a non-literal entry");
    }
    const key = propertyName(p);
    const v = p.initializer;
    if (ts.isIdentifier(v) && v.text === "ENVIRONMENTS") result[key] = [...environments];
    else if (ts.isArrayLiteralExpression(v)) result[key] = strings(source, key, v);
    else
      throw new RegistryShapeError(
        source.fileName,
        `STACK_ENVIRONMENTS.${key} is neither ENVIRONMENTS nor an array literal`,
      );
  }
  return { object, result };
}

function edgesOf(source: ts.SourceFile): RegistryEdge[] {
  return arrayLiteral(source, "EDGES").elements.map((e, i) => {
    const fields: Record<string, string> = {};
    if (ts.isObjectLiteralExpression(e)) {
      for (const p of e.properties) {
        if (ts.isPropertyAssignment(p) && ts.isStringLiteralLike(p.initializer)) {
          fields[propertyName(p)] = p.initializer.text;
        }
      }
    }
    const { from, to, kind, why } = fields;
    if (
      from === undefined ||
      to === undefined ||
      why === undefined ||
      !/^(ex|im)plicit$/.test(kind)
    ) {
      throw new RegistryShapeError(
        source.fileName,
        `EDGES[${i}] is not { from, to, kind, why } with string literals`,
      );
    }
    return { from, to, kind: kind as RegistryEdge["kind"], why };
  });
}

/** The registry as the two files say it (not as the running process loaded it). */
export function readRegistry(stacksText: string, graphText: string): Registry {
  const stacks = parse(STACKS_FILE, stacksText);
  const environments = strings(stacks, "ENVIRONMENTS", arrayLiteral(stacks, "ENVIRONMENTS"));
  const projects = strings(stacks, "PROJECTS", arrayLiteral(stacks, "PROJECTS"));
  const { result: stackEnvironments } = stackEnvironmentsOf(stacks, environments);
  const missing = projects.filter((p) => !(p in stackEnvironments));
  if (missing.length > 0) {
    throw new RegistryShapeError(STACKS_FILE, `STACK_ENVIRONMENTS lacks ${missing.join(", ")}`);
  }
  return {
    environments,
    projects,
    stackEnvironments,
    edges: edgesOf(parse(GRAPH_FILE, graphText)),
  };
}

/** Inserts `text` as the last element of an array or object literal. */
function append(text: string, list: ts.NodeArray<ts.Node>, open: ts.Node, element: string): string {
  const last = list[list.length - 1];
  const at = last ? last.getEnd() : open.getStart() + 1;
  return `${text.slice(0, at)}${last ? ", " : ""}${element}${text.slice(at)}`;
}

/** stacks.ts with the project appended to PROJECTS and STACK_ENVIRONMENTS (unformatted). */
export function addProject(stacksText: string, project: string, envs: readonly string[]): string {
  const source = parse(STACKS_FILE, stacksText);
  const environments = strings(source, "ENVIRONMENTS", arrayLiteral(source, "ENVIRONMENTS"));
  const projects = arrayLiteral(source, "PROJECTS");
  const withProject = append(stacksText, projects.elements, projects, JSON.stringify(project));
  // Parsed again: the insertion moved every position after it.
  const { object } = stackEnvironmentsOf(parse(STACKS_FILE, withProject), environments);
  const all = envs.length === environments.length && envs.every((e, i) => e === environments[i]);
  const value = all ? "ENVIRONMENTS" : JSON.stringify(envs);
  return append(withProject, object.properties, object, `${project}: ${value}`);
}

/** graph.ts with the edges appended to EDGES (unformatted). */
export function addEdges(graphText: string, edges: readonly RegistryEdge[]): string {
  let text = graphText;
  for (const e of edges) {
    const array = arrayLiteral(parse(GRAPH_FILE, text), "EDGES");
    const literal =
      `{ from: ${JSON.stringify(e.from)}, to: ${JSON.stringify(e.to)}, ` +
      `kind: ${JSON.stringify(e.kind)}, why: ${JSON.stringify(e.why)} }`;
    text = append(text, array.elements, array, literal);
  }
  return text;
}
