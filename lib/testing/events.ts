/**
 * The EventBridge event S3 sends when an object is created, in the shape of the example in the
 * Amazon S3 User Guide, "EventBridge event message structure" ("Object Created"):
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html
 * Only the fields the validation Lambda reads vary; the rest are the example's.
 */
export function objectCreatedEvent(bucket: string, key: string, time: string) {
  return {
    version: "0",
    id: "17793124-05d4-b198-2fde-7ededc63b103",
    "detail-type": "Object Created",
    source: "aws.s3",
    account: "123456789012",
    time,
    region: "eu-west-2",
    resources: [`arn:aws:s3:::${bucket}`],
    detail: {
      version: "0",
      bucket: { name: bucket },
      object: { key, size: 1, etag: "x" },
      reason: "PutObject",
    },
  };
}
