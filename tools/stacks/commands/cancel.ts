/** `cancel`: pulumi cancel per stack (a killed update's lock); explains what it does and asks first. */
import { yesOption } from "./options";
import { realCommand } from "./real";

export const cancel = realCommand({
  name: "cancel",
  description: "remove a stuck update's lock (pulumi cancel) per stack",
  options: (cmd) => cmd.addOption(yesOption()),
  notice: ({ list, options, envName }) =>
    `cancel removes the update lock of ${list}${options.local ? " (local backend)" : ""}. If an update is still running ` +
    `against one of them, it is not stopped, but its changes will be missing from the state. First make sure ` +
    `nothing is running (check the Actions tab and ask the team), and afterwards run ` +
    `"npm run stacks -- refresh --env ${envName}" to bring the state back in line with AWS.`,
  confirmation: ({ list }) => ({ question: `This cancels the lock of ${list}.`, expected: "yes" }),
});
