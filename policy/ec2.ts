/** EC2/VPC: security groups and their separate rule resources. */
import * as ec2 from "@pulumi/aws/ec2";
import * as vpc from "@pulumi/aws/vpc";
import {
  type PackPolicy,
  asList,
  isRecord,
  nonEmptyString,
  resourcePolicy,
  resourcePolicyForType,
} from "./common";
import { T } from "./types";

const ANYWHERE_V4 = "0.0.0.0/0";
const ANYWHERE_V6 = "::/0";

/**
 * True when a CIDR reaches beyond private address space: anything not inside RFC 1918
 * (10/8, 172.16/12, 192.168/16), carrier-grade NAT (100.64/10) or, for IPv6, unique local
 * fc00::/7. So 0.0.0.0/0, 0.0.0.0/1, 8.8.8.0/24 and ::/0 are all public.
 */
export function isPublicCidr(cidr: string): boolean {
  const [address, bitsText] = cidr.trim().split("/");
  const bits = Number(bitsText ?? (address.includes(":") ? 128 : 32));
  if (address.includes(":")) {
    const first = parseInt(address.split(":")[0] || "0", 16);
    return !(bits >= 7 && (first & 0xfe00) === 0xfc00);
  }
  const octets = address.split(".").map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255))
    return true;
  const value = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
  const inside = (base: string, size: number) => {
    const b = base.split(".").map(Number);
    const baseValue = ((b[0] << 24) >>> 0) + (b[1] << 16) + (b[2] << 8) + b[3];
    const mask = size === 0 ? 0 : (0xffffffff << (32 - size)) >>> 0;
    return bits >= size && (value & mask) >>> 0 === baseValue;
  };
  return !(
    inside("10.0.0.0", 8) ||
    inside("172.16.0.0", 12) ||
    inside("192.168.0.0", 16) ||
    inside("100.64.0.0", 10)
  );
}

const publicOf = (...lists: unknown[]) =>
  lists
    .flatMap((l) => asList(l as unknown))
    .filter((c): c is string => nonEmptyString(c) && isPublicCidr(c));
/** The description AWS and the provider put on a security group that was not given one. */
const DEFAULT_DESCRIPTION = "Managed by Pulumi";

const sgNoPublicIngress = resourcePolicyForType({
  name: "ec2-security-group-no-public-ingress",
  description:
    "A security group, inline or through an aws:ec2/securityGroupRule of type ingress, allows no inbound traffic from a public range (0.0.0.0/0, ::/0 or any range beyond private address space).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Allow inbound traffic from the specific CIDR ranges or security groups that need it.",
  type: [T.securityGroup, T.securityGroupRule],
  validate: (props, judge) => {
    if (judge.args.type === T.securityGroupRule) {
      if (props["type"] !== "ingress") return;
      const open = publicOf(props["cidrBlocks"], props["ipv6CidrBlocks"]);
      if (open.length > 0)
        judge.fail(
          `it allows inbound ${String(props["protocol"])} ${String(props["fromPort"])}-${String(props["toPort"])} from the public range ${open.join(" and ")}`,
          "allow only the private CIDR ranges or security groups that need access",
        );
      return;
    }
    for (const [i, rule] of asList(props["ingress"] as unknown).entries()) {
      if (!isRecord(rule)) continue;
      const open = publicOf(rule["cidrBlocks"], rule["ipv6CidrBlocks"]);
      if (open.length > 0) {
        judge.fail(
          `ingress rule ${i + 1} (${String(rule["protocol"])} ${String(rule["fromPort"])}-${String(rule["toPort"])}) is open to ${open.join(" and ")}`,
          "allow only the CIDR ranges or security groups that need access",
        );
      }
    }
  },
});

const ingressRuleNotPublic = resourcePolicy({
  name: "vpc-ingress-rule-no-public-cidr",
  description:
    "A security group ingress rule does not allow traffic from a public range (0.0.0.0/0, ::/0 or any range beyond private address space).",
  enforcementLevel: "mandatory",
  remediationSteps: "Set cidrIpv4/cidrIpv6 to the specific range, or referencedSecurityGroupId.",
  resource: vpc.SecurityGroupIngressRule,
  validate: (props, judge) => {
    const open = publicOf(props.cidrIpv4, props.cidrIpv6);
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
