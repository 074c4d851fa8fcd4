/**
 * The CrossGuard policy pack. Only builds the pack: policies live in one module per AWS service
 * (see policies.ts). Used from a project folder:
 *   pulumi preview --policy-pack=../policy --policy-pack-config=../policy-config.json
 * Do not import this file from tests or tools: constructing a PolicyPack starts a gRPC server.
 */
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("dataeng-dms-pipelines", {
  description: "Guards every deploy of the data-engineering DMS pipelines (delius, oasys).",
  policies: [...policies],
});
