/** `refresh`: pulumi refresh per stack; with --preview-only --expect-no-changes, a drift check. */
import { expectNoChangesOption, previewOnlyOption, targetOption } from "./options";
import { realCommand } from "./real";

export const refresh = realCommand({
  name: "refresh",
  description: "pulumi refresh per stack; with --preview-only --expect-no-changes, a drift check",
  options: (cmd) =>
    cmd.addOption(previewOnlyOption()).addOption(expectNoChangesOption()).addOption(targetOption()),
});
