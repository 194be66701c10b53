// Building blocks of the credential schemas.

import { z } from "zod";
import { isIsoDate, isIsoDateTime } from "../time";
import { isAddress } from "../viem";

/** 32 bytes as lowercase hex: a root, a leaf or a claim digest. */
export const bytes32Schema = z.templateLiteral(["0x", z.string().regex(/^[0-9a-f]{64}$/)]);

/** A claim salt: 16 random bytes as lowercase hex. */
export const saltSchema = z.templateLiteral(["0x", z.string().regex(/^[0-9a-f]{32}$/)]);

/** A 65-byte secp256k1 signature (r, s, v) as lowercase hex. */
export const signatureSchema = z.templateLiteral(["0x", z.string().regex(/^[0-9a-f]{130}$/)]);

/** An Ethereum address, lowercase or with a valid EIP-55 checksum. */
export const addressSchema = z
  .templateLiteral(["0x", z.string().regex(/^[0-9a-fA-F]{40}$/)])
  .refine((value) => isAddress(value), { message: "Invalid address checksum" });

/** A UTC date-time such as `2026-05-12T08:00:00Z`. */
export const dateTimeSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/)
  .refine(isIsoDateTime, { message: "Invalid date" });

/** A calendar date such as `2026-05-12`. */
export const dateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine(isIsoDate, { message: "Invalid date" });

/** A calendar date or a UTC date-time. */
export const dateOrDateTimeSchema = z.union([dateSchema, dateTimeSchema]);

const UINT64_MAX = 2n ** 64n - 1n;

/** An unsigned 64-bit integer as a decimal string without leading zeros. */
export const uint64StringSchema = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,19})$/)
  // zod runs refinements after a failed regex too, so this one checks the digits again before BigInt.
  .refine((value) => /^[0-9]{1,20}$/.test(value) && BigInt(value) <= UINT64_MAX, {
    message: "Out of range for uint64",
  });

/** A positive chain id. */
export const chainIdSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** `urn:uuid:<uuid v4>` in lowercase. */
export const uuidUrnSchema = z
  .string()
  .regex(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

/** A non-blank text of at most `max` characters, in any script, kept exactly as given. */
export function textSchema(max: number) {
  return z
    .string()
    .min(1)
    .max(max)
    .refine((value) => value.trim().length > 0, { message: "Must not be blank" });
}

/** A web address with the https scheme. */
export const httpsUrlSchema = z.url({ protocol: /^https$/ }).max(2000);
