import * as aws from "@pulumi/aws";
import { stackContext } from "../lib/infra/context";
import { assumedBy } from "../lib/infra/iam";
import { DMS_SHARED_NAMES } from "../lib/model/naming";
import { pipelinesBaseConfig } from "./config";

/**
 * pipelines_base: what DMS needs once per AWS account. DMS finds the two roles by their fixed
 * names, and pipelines finds the subnet and security groups by theirs.
 */
export function pipelinesBaseProgram() {
  const ctx = stackContext("pipelines_base", pipelinesBaseConfig);
  const { config } = ctx;
  const opts = { provider: ctx.provider };

  const serviceRole = (name: string, policyArn: string) => {
    const role = new aws.iam.Role(
      name,
      {
        name,
        assumeRolePolicy: assumedBy("dms.amazonaws.com"),
        description: `AWS DMS service role (${name})`,
      },
      opts,
    );
    new aws.iam.RolePolicyAttachment(`${name}-policy`, { role: role.name, policyArn }, opts);
    return role;
  };
  const vpcRole = serviceRole(
    DMS_SHARED_NAMES.vpcRole,
    aws.iam.ManagedPolicy.AmazonDMSVPCManagementRole,
  );
  const logsRole = serviceRole(
    DMS_SHARED_NAMES.cloudwatchLogsRole,
    aws.iam.ManagedPolicy.AmazonDMSCloudWatchLogsRole,
  );

  const subnetGroup = new aws.dms.ReplicationSubnetGroup(
    "replication-subnet-group",
    {
      replicationSubnetGroupId: DMS_SHARED_NAMES.replicationSubnetGroup,
      replicationSubnetGroupDescription:
        "Private subnets of the data-engineering DMS replication instances",
      subnetIds: config.subnetIds,
    },
    // DMS checks for dms-vpc-role when the subnet group is created.
    { ...opts, dependsOn: [vpcRole] },
  );

  // No ingress: DMS only connects out, to Oracle and to AWS APIs (S3, Secrets Manager, KMS).
  const securityGroup = new aws.ec2.SecurityGroup(
    "replication-security-group",
    {
      name: DMS_SHARED_NAMES.securityGroup,
      description: "DMS replication instances: outbound to Oracle and AWS APIs only",
      vpcId: config.vpcId,
    },
    opts,
  );
  // Named by CIDR, not by position, so that reordering the list changes nothing.
  for (const cidr of config.sourceDatabaseCidrs) {
    new aws.vpc.SecurityGroupEgressRule(
      `oracle-egress-${cidr.replace(/[./]/g, "-")}`,
      {
        securityGroupId: securityGroup.id,
        description: `Oracle listener at ${cidr}`,
        ipProtocol: "tcp",
        fromPort: config.oraclePort,
        toPort: config.oraclePort,
        cidrIpv4: cidr,
      },
      opts,
    );
  }
  new aws.vpc.SecurityGroupEgressRule(
    "https-egress",
    {
      securityGroupId: securityGroup.id,
      description: "HTTPS to AWS APIs (S3, Secrets Manager, KMS, CloudWatch)",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
    },
    opts,
  );

  return {
    dmsVpcRoleArn: vpcRole.arn,
    dmsCloudwatchLogsRoleArn: logsRole.arn,
    replicationSubnetGroupId: subnetGroup.replicationSubnetGroupId,
    securityGroupId: securityGroup.id,
  };
}
