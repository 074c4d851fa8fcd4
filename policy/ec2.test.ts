import { ec2Policies } from "./ec2";
import { describeResourcePolicy, policyNamed } from "./testing";
import { T } from "./types";

const policy = (name: string) => policyNamed(ec2Policies, name);
const sg = `${T.securityGroup} "subject"`;
const ingress = (extra: object) => ({
  protocol: "tcp",
  fromPort: 443,
  toPort: 443,
  description: "HTTPS from the VPC",
  ...extra,
});

describeResourcePolicy(policy("ec2-security-group-no-public-ingress"), T.securityGroup, [
  { title: "no ingress", props: { vpcId: "vpc-1", description: "DMS" }, messages: [] },
  {
    title: "from the VPC only",
    props: { vpcId: "vpc-1", ingress: [ingress({ cidrBlocks: ["10.0.0.0/16"] })] },
    messages: [],
  },
  {
    title: "from anywhere, IPv4 and IPv6",
    props: {
      vpcId: "vpc-1",
      ingress: [ingress({ cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] })],
    },
    messages: [
      `${sg}: ingress rule 1 (tcp 443-443) is open to 0.0.0.0/0 and ::/0. Fix: allow only the CIDR ranges or security groups that need access.`,
    ],
  },
]);

describeResourcePolicy(policy("vpc-ingress-rule-no-public-cidr"), T.vpcIngressRule, [
  {
    title: "from a range",
    props: {
      securityGroupId: "sg-1",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "10.0.0.0/16",
    },
    messages: [],
  },
  {
    title: "from anywhere",
    props: {
      securityGroupId: "sg-1",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv6: "::/0",
    },
    messages: [
      `${T.vpcIngressRule} "subject": it allows inbound traffic from ::/0. Fix: set cidrIpv4/cidrIpv6 to the specific range, or use referencedSecurityGroupId.`,
    ],
  },
]);

describeResourcePolicy(policy("ec2-security-group-descriptions"), T.securityGroup, [
  {
    title: "described",
    props: {
      description: "DMS replication instances",
      ingress: [ingress({ cidrBlocks: ["10.0.0.0/16"] })],
    },
    messages: [],
  },
  {
    title: "the provider's default description and an undescribed rule",
    props: {
      description: "Managed by Pulumi",
      egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["10.0.0.0/8"] }],
    },
    messages: [
      `${sg}: it has no description of its own. Fix: set description to what the group protects and why.`,
      `${sg}: its egress rule 1 has no description. Fix: set description on the rule.`,
    ],
  },
]);

describeResourcePolicy(policy("vpc-egress-rule-scoped"), T.vpcEgressRule, [
  {
    title: "HTTPS to AWS APIs",
    props: {
      securityGroupId: "sg-1",
      description: "HTTPS to AWS APIs",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
    },
    messages: [],
  },
  {
    title: "everything to everywhere, undescribed",
    props: { securityGroupId: "sg-1", ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" },
    messages: [
      `${T.vpcEgressRule} "subject": it has no description. Fix: set description to what the traffic is for.`,
      `${T.vpcEgressRule} "subject": it allows every protocol and port to anywhere. Fix: limit ipProtocol and fromPort/toPort to what is needed, for example tcp 443.`,
    ],
  },
]);

describeResourcePolicy(policy("ec2-security-group-no-public-ingress"), T.securityGroupRule, [
  {
    title: "ingress from the VPC, and egress anywhere (not ingress)",
    props: {
      type: "ingress",
      securityGroupId: "sg-1",
      protocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrBlocks: ["10.0.0.0/16"],
    },
    messages: [],
  },
  {
    title: "ingress from an office's public range",
    props: {
      type: "ingress",
      securityGroupId: "sg-1",
      protocol: "tcp",
      fromPort: 1521,
      toPort: 1521,
      cidrBlocks: ["81.134.202.0/24"],
    },
    messages: [
      `${T.securityGroupRule} "subject": it allows inbound tcp 1521-1521 from the public range 81.134.202.0/24. Fix: allow only the private CIDR ranges or security groups that need access.`,
    ],
  },
]);

describeResourcePolicy(policy("vpc-ingress-rule-no-public-cidr"), T.vpcIngressRule, [
  {
    title: "from a private range",
    props: {
      securityGroupId: "sg-1",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "172.16.0.0/12",
    },
    messages: [],
  },
  {
    title: "from half the internet",
    props: {
      securityGroupId: "sg-1",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/1",
    },
    messages: [
      `${T.vpcIngressRule} "subject": it allows inbound traffic from 0.0.0.0/1. Fix: set cidrIpv4/cidrIpv6 to the specific range, or use referencedSecurityGroupId.`,
    ],
  },
]);
