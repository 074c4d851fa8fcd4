import { named, ofType, planStack, policyOf } from "../lib/testing/programs";

// The first test evaluates the stacks (SDK and programs load then): seconds of CPU, more on a
// loaded machine, so jest's default 5 s is too short.
jest.setTimeout(30_000);

describe("pipelines_base-prod", () => {
  it("creates the two DMS service roles under the names DMS looks up, with the managed policies", async () => {
    const { resources, outputs } = await planStack("pipelines_base", "prod");
    for (const [role, policy] of [
      ["dms-vpc-role", "arn:aws:iam::aws:policy/service-role/AmazonDMSVPCManagementRole"],
      [
        "dms-cloudwatch-logs-role",
        "arn:aws:iam::aws:policy/service-role/AmazonDMSCloudWatchLogsRole",
      ],
    ]) {
      const r = named(resources, role);
      expect(r.inputs.name).toBe(role);
      expect(policyOf(r, "assumeRolePolicy").Statement).toEqual([
        { Effect: "Allow", Principal: { Service: "dms.amazonaws.com" }, Action: "sts:AssumeRole" },
      ]);
      expect(named(resources, `${role}-policy`).inputs).toEqual({ role, policyArn: policy });
    }
    expect(outputs.dmsVpcRoleArn).toBe("arn:aws:iam::123456789012:role/dms-vpc-role");
  });

  it("makes the replication subnet group from the configured subnets, after dms-vpc-role", async () => {
    const { resources, outputs } = await planStack("pipelines_base", "prod");
    const group = named(resources, "replication-subnet-group");
    expect(group.inputs).toMatchObject({
      replicationSubnetGroupId: "dataeng-dms-replication",
      subnetIds: [
        "subnet-0a1b2c3d4e5f60711",
        "subnet-0a1b2c3d4e5f60722",
        "subnet-0a1b2c3d4e5f60733",
      ],
    });
    expect(group.dependencies).toContain(named(resources, "dms-vpc-role").urn);
    expect(outputs.replicationSubnetGroupId).toBe("dataeng-dms-replication");
  });

  it("gives the security group no ingress and egress only to Oracle and HTTPS", async () => {
    const { resources } = await planStack("pipelines_base", "prod");
    const sg = named(resources, "replication-security-group");
    expect(sg.inputs).toMatchObject({
      name: "dataeng-dms-replication",
      vpcId: "vpc-0a1b2c3d4e5f60718",
    });
    expect(sg.inputs.ingress ?? []).toEqual([]);
    expect(ofType(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")).toEqual(
      [],
    );
    const egress = ofType(resources, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").map(
      (r) => r.inputs,
    );
    expect(egress.map((e) => [e.cidrIpv4, e.fromPort, e.toPort])).toEqual([
      ["10.26.0.0/16", 2484, 2484],
      ["10.40.0.0/16", 2484, 2484],
      ["0.0.0.0/0", 443, 443],
    ]);
    expect(egress.every((e) => typeof e.description === "string" && e.description.length > 0)).toBe(
      true,
    );
  });
});
