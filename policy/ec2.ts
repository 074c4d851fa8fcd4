/** EC2/VPC: security groups and their separate rule resources. */
import * as ec2 from "@pulumi/aws/ec2";
import * as vpc from "@pulumi/aws/vpc";
import { type PackPolicy, asList, nonEmptyString, resourcePolicy } from "./common";

const ANYWHERE_V4 = "0.0.0.0/0";
const ANYWHERE_V6 = "::/0";
/** The description AWS and the provider put on a security group that was not given one. */
const DEFAULT_DESCRIPTION = "Managed by Pulumi";

const sgNoPublicIngress = resourcePolicy({
  name: "ec2-security-group-no-public-ingress",
  description: "A security group allows no inbound traffic from anywhere (0.0.0.0/0 or ::/0).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Allow inbound traffic from the specific CIDR ranges or security groups that need it.",
  resource: ec2.SecurityGroup,
  validate: (props, judge) => {
    for (const [i, rule] of asList(props.ingress).entries()) {
      const open = [
        ...asList(rule.cidrBlocks).filter((c) => c === ANYWHERE_V4),
        ...asList(rule.ipv6CidrBlocks).filter((c) => c === ANYWHERE_V6),
      ];
      if (open.length > 0) {
        judge.fail(
          `ingress rule ${i + 1} (${rule.protocol} ${rule.fromPort}-${rule.toPort}) is open to ${open.join(" and ")}`,
          "allow only the CIDR ranges or security groups that need access",
        );
      }
    }
  },
});

const ingressRuleNotPublic = resourcePolicy({
  name: "vpc-ingress-rule-no-public-cidr",
  description:
    "A security group ingress rule does not allow traffic from anywhere (0.0.0.0/0 or ::/0).",
  enforcementLevel: "mandatory",
  remediationSteps: "Set cidrIpv4/cidrIpv6 to the specific range, or referencedSecurityGroupId.",
  resource: vpc.SecurityGroupIngressRule,
  validate: (props, judge) => {
    const open = [props.cidrIpv4, props.cidrIpv6].filter(
      (c) => c === ANYWHERE_V4 || c === ANYWHERE_V6,
    );
    if (open.length > 0) {
      judge.fail(
        `it allows inbound traffic from ${open.join(" and ")}`,
        "set cidrIpv4/cidrIpv6 to the specific range, or use referencedSecurityGroupId",
      );
    }
  },
});

const sgDescriptions = resourcePolicy({
  name: "ec2-security-group-descriptions",
  description: "A security group, and each of its inline rules, says what it is for.",
  enforcementLevel: "advisory",
  remediationSteps:
    "Set description on the security group and on every inline ingress/egress rule.",
  resource: ec2.SecurityGroup,
  validate: (props, judge) => {
    if (!nonEmptyString(props.description) || props.description === DEFAULT_DESCRIPTION) {
      judge.fail(
        "it has no description of its own",
        "set description to what the group protects and why",
      );
    }
    for (const [kind, rules] of [
      ["ingress", asList(props.ingress)],
      ["egress", asList(props.egress)],
    ] as const) {
      for (const [i, rule] of rules.entries()) {
        if (!nonEmptyString(rule.description)) {
          judge.fail(`its ${kind} rule ${i + 1} has no description`, "set description on the rule");
        }
      }
    }
  },
});

const egressRuleScoped = resourcePolicy({
  name: "vpc-egress-rule-scoped",
  description:
    "A security group egress rule has a description and does not allow every protocol to everywhere.",
  enforcementLevel: "advisory",
  remediationSteps:
    "Set description, and limit the rule to the protocol and ports needed (for example tcp 443).",
  resource: vpc.SecurityGroupEgressRule,
  validate: (props, judge) => {
    if (!nonEmptyString(props.description))
      judge.fail("it has no description", "set description to what the traffic is for");
    const anywhere = props.cidrIpv4 === ANYWHERE_V4 || props.cidrIpv6 === ANYWHERE_V6;
    if (anywhere && (props.ipProtocol === "-1" || props.ipProtocol === "all")) {
      judge.fail(
        "it allows every protocol and port to anywhere",
        "limit ipProtocol and fromPort/toPort to what is needed, for example tcp 443",
      );
    }
  },
});

export const ec2Policies: PackPolicy[] = [
  sgNoPublicIngress,
  ingressRuleNotPublic,
  sgDescriptions,
  egressRuleScoped,
];
