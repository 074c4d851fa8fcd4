import { buildEnvironment } from "./lambdaEnv";
import { readValidateConfig as readConfig, VALIDATE_ENV } from "./validateEnv";

describe("config", () => {
  test("all problems at once, with what to do", () => {
    expect(() =>
      readConfig({ FAIL_BUCKET: "f", ENVIRONMENT: "test", UNKNOWN_COLUMNS: "ignore" }),
    ).toThrow(
      "The validate function's environment variables are wrong:\n" +
        "  - RAW_HISTORY_BUCKET is not set; expected the raw-history bucket name\n" +
        "  - METADATA_BUCKET is not set; expected the metadata bucket name\n" +
        "  - ALERTS_TOPIC_ARN is not set; expected the alerts SNS topic ARN\n" +
        '  - ENVIRONMENT is "test"; expected one of dev, preprod, prod\n' +
        '  - UNKNOWN_COLUMNS is "ignore"; expected "fail" (the default) or "warn"\n' +
        "Set them on the Lambda (the pipelines project sets them in pipelines/dmsPipeline.ts).",
    );
  });

  test("UNKNOWN_COLUMNS defaults to fail", () => {
    expect(
      readConfig({
        RAW_HISTORY_BUCKET: "r",
        FAIL_BUCKET: "f",
        METADATA_BUCKET: "m",
        ALERTS_TOPIC_ARN: "arn",
        ENVIRONMENT: "prod",
      }),
    ).toEqual({
      rawHistoryBucket: "r",
      failBucket: "f",
      metadataBucket: "m",
      alertsTopicArn: "arn",
      environment: "prod",
      unknownColumns: "fail",
      region: null,
    });
  });
});

describe("the program's side", () => {
  const values = {
    RAW_HISTORY_BUCKET: "r",
    FAIL_BUCKET: "f",
    METADATA_BUCKET: "m",
    ALERTS_TOPIC_ARN: "arn",
    ENVIRONMENT: "dev",
    UNKNOWN_COLUMNS: "warn",
    LANDING_BUCKET: "l",
    DATABASE: "delius",
    LANDING_MAX_AGE_MINUTES: "120",
  };

  test("builds every variable of the schema, in its order, and the Lambda reads them back", () => {
    const built = buildEnvironment(VALIDATE_ENV, { ...values });
    expect(Object.keys(built)).toEqual(Object.keys(VALIDATE_ENV.schema.shape));
    expect(Object.keys(built)).toEqual(Object.keys(values));
    expect(readConfig({ ...built, AWS_REGION: "eu-west-2" })).toEqual({
      rawHistoryBucket: "r",
      failBucket: "f",
      metadataBucket: "m",
      alertsTopicArn: "arn",
      environment: "dev",
      unknownColumns: "warn",
      region: "eu-west-2",
      sweep: { landingBucket: "l", database: "delius", maxAgeMinutes: 120 },
    });
  });

  test("passes values of any kind through untouched (Pulumi Inputs)", () => {
    const input = { later: true };
    const built = buildEnvironment(VALIDATE_ENV, { ...values, ALERTS_TOPIC_ARN: input });
    expect(built.ALERTS_TOPIC_ARN).toBe(input);
  });

  test("trims values, and quotes a wrong one as it was set", () => {
    expect(readConfig({ ...values, FAIL_BUCKET: " f ", UNKNOWN_COLUMNS: " WARN " })).toMatchObject({
      failBucket: "f",
      unknownColumns: "warn",
    });
    expect(() =>
      readConfig({ ...values, ENVIRONMENT: " test ", RAW_HISTORY_BUCKET: "  " }),
    ).toThrow(
      "The validate function's environment variables are wrong:\n" +
        "  - RAW_HISTORY_BUCKET is not set; expected the raw-history bucket name\n" +
        '  - ENVIRONMENT is " test "; expected one of dev, preprod, prod\n' +
        "Set them on the Lambda",
    );
  });

  test("a sweep problem is named beside the others", () => {
    expect(() =>
      readConfig({ ...values, ENVIRONMENT: undefined, LANDING_MAX_AGE_MINUTES: "1.5" }),
    ).toThrow(
      "  - ENVIRONMENT is null; expected one of dev, preprod, prod\n" +
        '  - LANDING_MAX_AGE_MINUTES is "1.5"; expected a whole number of minutes, at least 1\n',
    );
  });

  test("the program must give every variable and no other (tsc checks the @ts-expect-error lines)", () => {
    const { DATABASE: _omitted, ...missing } = values;
    // @ts-expect-error DATABASE is missing
    expect(Object.keys(buildEnvironment(VALIDATE_ENV, missing))).toContain("DATABASE");
    // @ts-expect-error DATABSE is not a variable of the validation Lambda
    expect(buildEnvironment(VALIDATE_ENV, { ...values, DATABSE: "d" })).not.toHaveProperty(
      "DATABSE",
    );
  });
});
