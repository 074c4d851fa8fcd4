/**
 * Replace-on-change facts of the resource types only pipelines_base deploys (lib/model/review.ts;
 * loaded by the orchestrator, tools/stacks/engine/review.ts). Not part of the program.
 */
import { type ProjectReview, terraformSource } from "../lib/model/review";

export const review: ProjectReview = {
  replaceOnChanges: {
    // Restates the provider docs' "(Forces new resource)" note, as the generic rows do.
    "aws:dms/replicationSubnetGroup:ReplicationSubnetGroup": {
      inputs: ["replicationSubnetGroupId"],
      source: terraformSource("dms/replication_subnet_group.go"),
    },
  },
};
