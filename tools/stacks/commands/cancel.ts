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
    `nothing is running (check the Actions tab and ask the team). Afterwards run ` +
    `"npm run stacks -- doctor --env ${envName}": it lists any operation the killed update left pending, ` +
    `and "stacks recover" brings the state back in line with AWS (a refresh alone cannot: it leaves a ` +
    `pending create in the state, and the resource AWS may have made for it outside).`,
  confirmation: ({ list }) => ({ question: `This cancels the lock of ${list}.`, expected: "yes" }),
});
