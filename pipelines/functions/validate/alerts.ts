/** Publishing validation failures to the alerts SNS topic. */
import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import { alertSubject } from "../../../lib/lambda/alert";
import type { AlertPublisher } from "../../../lib/validation/process";

export function snsAlertPublisher(sns: SNSClient, topicArn: string): AlertPublisher {
  return {
    async publish(alert) {
      await sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Subject: alertSubject(alert),
          Message: JSON.stringify(alert),
        }),
      );
    },
  };
}
