/** `destroy`: pulumi destroy per stack, dependents first; asks first, and prod needs a flag too. */
import { UsageError } from "./command";
import { PROD_DESTROY_FLAG, allowProdDestroyOption, targetOption, yesOption } from "./options";
import { realCommand } from "./real";

export const destroy = realCommand({
  name: "destroy",
  description: "pulumi destroy per stack, dependents first",
  options: (cmd) =>
    cmd.addOption(yesOption()).addOption(allowProdDestroyOption()).addOption(targetOption()),
  check: ({ options, envName }) => {
    if (envName === "prod" && !options.allowProdDestroy) {
      throw new UsageError(
        `destroying prod stacks is refused without ${PROD_DESTROY_FLAG}: prod holds real data. ` +
          `If you really mean it, add ${PROD_DESTROY_FLAG} (protected resources still refuse to be deleted).`,
      );
    }
  },
  confirmation: ({ list, envName }) => ({
    question: `This destroys every resource of ${list}, dependents first.`,
    expected: envName,
  }),
});
