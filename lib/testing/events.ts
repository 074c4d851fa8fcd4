import { dmsEventMessageTemplate } from "../contracts/alerts";

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

/**
 * The example event of "Working with Amazon EventBridge events and notifications" (AWS DMS
 * User Guide, CHAP_EventBridge; awsdocs/aws-dms-user-guide doc_source/CHAP_EventBridge.md at
 * 0976c5f), as it is there.
 */
export const DOCUMENTED_DMS_EVENT = {
  version: "0",
  id: "11a11b11-222b-333a-44d4-01234a5b67890",
  "detail-type": "DMS Replication Task State Change",
  source: "aws.dms",
  account: "0123456789012",
  time: "1970-01-01T00:00:00Z",
  region: "us-east-1",
  resources: ["arn:aws:dms:us-east-1:012345678901:task:AAAABBBB0CCCCDDDDEEEEE1FFFF2GGG3FFFFFF3"],
  detail: {
    type: "ReplicationTask",
    category: "StateChange",
    eventType: "REPLICATION_TASK_STARTED",
    eventName: "DMS-EVENT-0069",
    resourceLink:
      "https://console.aws.amazon.com/dms/v2/home?region=us-east-1#taskDetails/taskName",
    detailMessage: "Replication task started, with flag = fresh start",
  },
};

/**
 * The SNS message the pipelines' EventBridge target publishes for a DMS event: the program's
 * input template (dmsEventMessageTemplate) with the event put in, as EventBridge does.
 */
export function dmsEventMessage(resourceName: string, event: object): string {
  return dmsEventMessageTemplate(resourceName).replace(
    "<aws.events.event.json>",
    JSON.stringify(event),
  );
}
