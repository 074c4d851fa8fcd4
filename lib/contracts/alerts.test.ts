import { DOCUMENTED_DMS_EVENT, dmsEventMessage } from "../testing/events";
import {
  dmsEventMessageTemplate,
  isDmsEventEnvelope,
  isValidationFailureAlert,
  VALIDATION_FAILURE_KIND,
} from "./alerts";

describe("the DMS event envelope", () => {
  test("the template puts the whole event beside the resource's name, as JSON", () => {
    expect(dmsEventMessageTemplate('delius-dev-"task"')).toBe(
      '{"kind":"dms-event","resourceName":"delius-dev-\\"task\\"","event":<aws.events.event.json>}',
    );
  });

  test("what EventBridge publishes from the template is what the notifier recognises", () => {
    const message = JSON.parse(
      dmsEventMessage("delius-dev-full-load-and-cdc", DOCUMENTED_DMS_EVENT),
    );
    expect(message).toEqual({
      kind: "dms-event",
      resourceName: "delius-dev-full-load-and-cdc",
      event: DOCUMENTED_DMS_EVENT,
    });
    expect(isDmsEventEnvelope(message)).toBe(true);
  });

  test("anything else is not an envelope", () => {
    const message = JSON.parse(dmsEventMessage("x", DOCUMENTED_DMS_EVENT));
    expect(isDmsEventEnvelope({ ...message, kind: "validation-failure" })).toBe(false);
    expect(isDmsEventEnvelope({ ...message, resourceName: 1 })).toBe(false);
    expect(
      isDmsEventEnvelope({ ...message, event: { ...DOCUMENTED_DMS_EVENT, source: "aws.s3" } }),
    ).toBe(false);
    expect(isDmsEventEnvelope(null)).toBe(false);
  });
});

test("a validation failure needs its kind, environment, key, fail bucket, reason and checks", () => {
  const alert = {
    kind: VALIDATION_FAILURE_KIND,
    environment: "dev",
    key: "delius/offender/LOAD00000001.parquet",
    failBucket: "fail",
    reason: "missing column notes",
    failedChecks: [],
  };
  expect(isValidationFailureAlert(alert)).toBe(true);
  for (const field of Object.keys(alert))
    expect(isValidationFailureAlert({ ...alert, [field]: undefined })).toBe(false);
});
