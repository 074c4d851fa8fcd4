/**
 * A resource as a program registered it under mocks: what the offline plan prints and what
 * the policy pack judges. Kept free of SDK imports so that the orchestrator can use the type.
 */
export interface PlannedResource {
  readonly urn: string;
  /** The type token, for example `aws:s3/bucket:Bucket`. */
  readonly type: string;
  /** The logical name given in the program. */
  readonly name: string;
  /** false for component resources. */
  readonly custom: boolean;
  /** The inputs as registered, with Outputs resolved (unknown values are undefined). */
  readonly inputs: Record<string, unknown>;
  /** What the mocks answered: the inputs plus computed values such as id and arn. */
  readonly state: Record<string, unknown>;
  readonly id?: string;
  /** The parent's URN (undefined for the stack's own children). */
  readonly parent?: string;
  /** The provider reference `<provider urn>::<provider id>`, when one was given. */
  readonly provider?: string;
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  /** URNs this resource depends on. */
  readonly dependencies: readonly string[];
  /** For each input property, the URNs its value came from. */
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
}
