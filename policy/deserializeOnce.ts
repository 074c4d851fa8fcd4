/**
 * @pulumi/policy's analyzer (server.js, v1.21.0) turns a resource's properties from protobuf into
 * JavaScript (`deserializeProperties`) again for every policy it runs on the resource: `analyze`
 * once per policy that applies (17 of this pack's policies see every type, policies.ts), and
 * `analyzeStack` once per stack policy (12) for every resource of the stack; the provider's
 * properties each time too. In a 755-table preview of glue_database the pack's CPU went from about
 * 10.5 to 6.2 s with this (CPU profiles of the pack's process).
 *
 * `deserializeOncePerRequest` makes it once per properties message: google-protobuf hands back
 * the same Struct for the same field of a request, so each resource's properties convert once
 * per request, and every policy gets the same plain object behind its own unknown-checking proxy,
 * as the offline runner gives every policy one props object per resource (runner.ts
 * `runPolicies`). Remediations (`proxySecrets`) still convert each time. policy/pack.js applies
 * it to the SDK's module before the pack loads.
 */

/** The properties message of a request (a google.protobuf.Struct). */
type Struct = object;
type Deserialize = (struct: Struct, proxySecrets: boolean) => Record<string, unknown>;

/** What `@pulumi/policy/deserialize` exports (internal to the SDK, so typed here). */
export interface DeserializeModule {
  deserializeProperties: Deserialize;
}

const ONCE = Symbol("dataeng:deserializeOncePerRequest");

export function deserializeOncePerRequest(sdk: DeserializeModule): void {
  const original = sdk.deserializeProperties as Deserialize & { [ONCE]?: true };
  if (typeof original !== "function") {
    throw new Error(
      "policy/deserializeOnce.ts: @pulumi/policy/deserialize no longer exports deserializeProperties " +
        "(written for @pulumi/policy 1.21.x); update deserializeOncePerRequest for the new SDK or " +
        "drop it from policy/pack.js.",
    );
  }
  if (original[ONCE]) return;
  const converted = new WeakMap<Struct, Record<string, unknown>>();
  const once = (struct: Struct, proxySecrets: boolean) => {
    if (proxySecrets || typeof struct !== "object" || struct === null) {
      return original(struct, proxySecrets);
    }
    let props = converted.get(struct);
    if (props === undefined) {
      props = original(struct, false);
      converted.set(struct, props);
    }
    return props;
  };
  sdk.deserializeProperties = Object.assign(once, { [ONCE]: true as const });
}
