// The expected ids and ARNs are the formats the real provider returns: each resource's "Attribute
// Reference" and "Import" id in pulumi/pulumi-aws v7.48.0 docs/resource/<type>.md (the upstream
// terraform-provider-aws pages), and the ARN formats of AWS's Service Authorization Reference
// ("Resource types defined by <service>"); the data sources' from docs/data-sources/<name>.md.
import { mockInvoke, mockState } from "./mockState";

describe("mock state", () => {
  it("answers the computed attributes the programs read", () => {
    const bucketState = {
      bucket: "b",
      arn: "arn:aws:s3:::b",
      bucketDomainName: "b.s3.amazonaws.com",
      bucketRegionalDomainName: "b.s3.eu-west-2.amazonaws.com",
      region: "eu-west-2",
    };
    expect(mockState("aws:s3/bucket:Bucket", "raw-bucket", { bucket: "b" })).toEqual({
      id: "b",
      state: bucketState,
    });
    // BucketV2 is an alias of Bucket: same id and ARN (it used to get a made-up ARN).
    expect(mockState("aws:s3/bucketV2:BucketV2", "raw-bucket", { bucket: "b" })).toEqual({
      id: "b",
      state: bucketState,
    });
    expect(
      mockState("aws:s3/bucketPolicy:BucketPolicy", "p", { bucket: "b", policy: "{}" }).id,
    ).toBe("b");
    expect(
      mockState("aws:secretsmanager/secret:Secret", "s", { name: "dataeng/x" }).state.arn,
    ).toMatch(/^arn:aws:secretsmanager:eu-west-2:123456789012:secret:dataeng\/x-[0-9a-f]{6}$/);
    expect(mockState("aws:kms/alias:Alias", "a", { name: "alias/dataeng-prod" }).state.arn).toBe(
      "arn:aws:kms:eu-west-2:123456789012:alias/dataeng-prod",
    );
    expect(mockState("aws:iam/policy:Policy", "p", { name: "reader" })).toMatchObject({
      id: "arn:aws:iam::123456789012:policy/reader",
      state: { arn: "arn:aws:iam::123456789012:policy/reader" },
    });
    const task = mockState("aws:dms/replicationTask:ReplicationTask", "delius-task", {});
    expect(task.state.replicationTaskArn).toMatch(
      /^arn:aws:dms:eu-west-2:123456789012:task:[0-9A-F]{16}$/,
    );
    expect(mockState("aws:iam/role:Role", "r", { name: "dms-vpc-role" }).state.arn).toBe(
      "arn:aws:iam::123456789012:role/dms-vpc-role",
    );
  });

  it("refuses a data source it has no answer for, naming where to add one", () => {
    expect(() => mockInvoke("aws:s3/getBucket:getBucket", {})).toThrow(
      "no mock answers the data source aws:s3/getBucket:getBucket; add one in lib/plan/mockState.ts",
    );
  });
});
