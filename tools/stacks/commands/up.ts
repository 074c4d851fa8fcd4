/** `up`: pulumi up --skip-preview --refresh --diff with the policy pack, per stack; asks first. */
import { affectedSinceOption, replaceOption, targetOption, yesOption } from "./options";
import { realCommand } from "./real";

export const up = realCommand({
  name: "up",
  description:
    "pulumi up --skip-preview --refresh --diff with the policy pack, per stack (creates missing stacks)",
  options: (cmd) =>
    cmd
      .addOption(yesOption())
      .addOption(affectedSinceOption())
      .addOption(targetOption())
      .addOption(replaceOption()),
  confirmation: ({ list, options }) => ({
    question: `This deploys ${list}${options.local ? " to LocalStack" : ""}, in this order.`,
    expected: "yes",
  }),
});
