/** The validation Lambda's safety net and sizing, evaluated under mocks for every stack. */
import { named, ofType, planStack } from "../lib/testing/programs";
import { ENVIRONMENTS } from "../lib/model/stacks";

// The first evaluation in a worker loads @pulumi/aws (seconds on a busy 2-core machine).
jest.setTimeout(30_000);

const MEMORY = { dev: 1024, preprod: 1024, prod: 2048 } as const;
const MAX_AGE = { dev: "240", preprod: "120", prod: "60" } as const;

describe.each(ENVIRONMENTS)("pipelines-%s", (env) => {
  it("gives the landing-event target an encrypted dead-letter queue only its rule may send to", async () => {
    const { resources } = await planStack("pipelines", env);
    const target = named(resources, "delius-landing-object-created-target");
    const queue = named(resources, "delius-validation-events-dlq");
    expect(queue.inputs).toMatchObject({
      name: `dataeng-delius-landing-events-dlq-${env}`,
      messageRetentionSeconds: 1209600,
      kmsMasterKeyId: expect.stringMatching(/^arn:aws:kms:/),
    });
    expect(target.inputs.deadLetterConfig).toEqual({
      arn: expect.stringContaining("delius-landing-events-dlq"),
    });
    const policy = JSON.parse(
      named(resources, "delius-validation-events-dlq-policy").inputs.policy as string,
    );
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: "events.amazonaws.com" },
        Action: ["sqs:SendMessage"],
        Condition: {
          ArnEquals: { "aws:SourceArn": expect.stringContaining("delius-landing-object-created") },
        },
      }),
    ]);
  });

  it("sweeps landing on a schedule with the configured age, and sizes the Lambda per env", async () => {
    const { resources } = await planStack("pipelines", env);
    expect(named(resources, "delius-sweep-landing-sweep").inputs.scheduleExpression).toBe(
      "rate(1 hour)",
    );
    expect(named(resources, "delius-sweep-validate-from-sweep").inputs).toMatchObject({
      principal: "events.amazonaws.com",
      action: "lambda:InvokeFunction",
    });
    const fn = ofType(resources, "aws:lambda/function:Function").find(
      (f) => f.name === "delius-validate-function",
    );
    expect(fn?.inputs.memorySize).toBe(MEMORY[env]);
    expect(
      (fn?.inputs.environment as { variables: Record<string, string> }).variables,
    ).toMatchObject({
      DATABASE: "delius",
      LANDING_MAX_AGE_MINUTES: MAX_AGE[env],
    });
  });
});
