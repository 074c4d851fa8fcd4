import { z } from "zod";
import { configInteger, configJson, configString } from "../lib/infra/config";

const CIDR = /^(\d{1,3}\.){3}\d{1,3}\/(\d|[12]\d|3[0-2])$/;

/** pipelines_base's config keys (`pipelines_base:<key>`). README.md lists them. */
export const pipelinesBaseConfig = {
  /** The VPC the replication instances run in. */
  vpcId: configString("a VPC id").regex(/^vpc-[0-9a-f]{8,17}$/, {
    error: "expected a VPC id such as vpc-0a1b2c3d4e5f60718",
  }),
  /** Private subnets for the replication subnet group, in at least two availability zones. */
  subnetIds: configJson(
    z
      .array(
        z.string().regex(/^subnet-[0-9a-f]{8,17}$/, {
          error: "expected a subnet id such as subnet-0a1b2c3d",
        }),
        {
          error: "expected a list of subnet ids",
        },
      )
      .min(2, { error: "expected at least two subnet ids (DMS needs two availability zones)" }),
  ),
  /** Where the Oracle databases are: the only destinations the security group lets DMS reach on the Oracle port. */
  sourceDatabaseCidrs: configJson(
    z
      .array(
        z
          .string()
          .regex(CIDR, { error: "expected an IPv4 CIDR block such as 10.26.0.0/16" })
          .refine((c) => !c.endsWith("/0"), {
            error: "expected a specific network, not the whole internet",
          }),
        { error: "expected a list of CIDR blocks" },
      )
      .min(1, { error: "expected at least one CIDR block" }),
  ),
  /**
   * The Oracle TLS listener port (DMS connects with sslMode verify-ca, so the TLS listener, by
   * convention 2484; 1521 is the plain-text one). Must match the port in the connection secrets.
   */
  oraclePort: configInteger(1, 65535).default(2484),
} satisfies z.ZodRawShape;
