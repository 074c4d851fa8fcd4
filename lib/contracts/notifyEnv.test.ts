import { buildEnvironment } from "./lambdaEnv";
import { NOTIFY_ENV, readNotifyConfig } from "./notifyEnv";

test("the notifier's variables: built by the program, read by the Lambda", () => {
  const built = buildEnvironment(NOTIFY_ENV, {
    SLACK_WEBHOOK_SECRET_NAME: " dataeng/slack ",
    ENVIRONMENT: "prod",
  });
  expect(built).toEqual({ SLACK_WEBHOOK_SECRET_NAME: " dataeng/slack ", ENVIRONMENT: "prod" });
  expect(readNotifyConfig(built)).toEqual({
    secretName: "dataeng/slack",
    environment: "prod",
    region: "eu-west-2",
  });
  expect(readNotifyConfig({ ...built, AWS_REGION: "eu-west-1" }).region).toBe("eu-west-1");
});

test("a blank secret name is not set", () => {
  expect(() => readNotifyConfig({ SLACK_WEBHOOK_SECRET_NAME: "  ", ENVIRONMENT: "dev" })).toThrow(
    "The notify function's environment variables are wrong:\n" +
      "  - SLACK_WEBHOOK_SECRET_NAME is not set; expected the name of the secret holding the Slack webhook URL\n" +
      "Set them on the Lambda (the core project sets them in core/program.ts).",
  );
});
