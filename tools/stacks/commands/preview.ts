/** `preview`: pulumi preview --refresh --diff with the policy pack, per stack. */
import { affectedSinceOption, commentFileOption, replaceOption, targetOption } from "./options";
import { realCommand } from "./real";

export const preview = realCommand({
  name: "preview",
  description: "pulumi preview --refresh --diff with the policy pack, per stack",
  options: (cmd) =>
    cmd
      .addOption(affectedSinceOption())
      .addOption(targetOption())
      .addOption(replaceOption())
      .addOption(commentFileOption("write a pull-request comment (Markdown) with the results")),
});
