import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { type Environment } from "../lib/model/stacks";

/**
 * What core's modules (dataKey, buckets, alertsTopic, notifier) build with: their resources are
 * top-level in the stack, as they were when all of it was one function, so no URN changed.
 */
export interface CoreScope {
  readonly env: Environment;
  readonly region: string;
  /** This account's id. */
  readonly account: pulumi.Output<string>;
  /** Preprod and prod: the key and the buckets are protected and kept. */
  readonly protect: boolean;
  /** Options of a top-level resource: the stack's AWS provider. */
  readonly opts: { provider: aws.Provider };
  /** Options of a top-level component: the provider flows to its children. */
  readonly componentOptions: pulumi.ComponentResourceOptions;
}
