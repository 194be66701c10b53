// The issuer: an accredited organisation's profile, as the Open Badges `Profile` type.

import { z } from "zod";
import { isOrganisationNumber } from "../orgnr";
import { parseOrganisationUrn } from "../urn";
import { httpsUrlSchema, textSchema } from "./primitives";

/** `urn:intyg:org:<chainId>:<registry lowercase>:<organisationId>`. */
export const organisationUrnSchema = z
  .string()
  .regex(/^urn:intyg:org:/)
  .refine((value) => parseOrganisationUrn(value) !== undefined, { message: "Invalid organisation URN" });

/** A Swedish organisation number `NNNNNN-NNNN` with a valid Luhn check digit. */
export const organisationNumberSchema = z
  .string()
  .regex(/^\d{6}-\d{4}$/)
  .refine(isOrganisationNumber, { message: "Invalid check digit" });

/** The issuer profile a credential carries in full (its hash is the organisation's on-chain profile). */
export const issuerProfileSchema = z.strictObject({
  id: organisationUrnSchema,
  type: z.tuple([z.literal("Profile")]),
  name: textSchema(300),
  legalName: textSchema(300),
  organisationNumber: organisationNumberSchema,
  url: httpsUrlSchema,
});

export type IssuerProfile = z.infer<typeof issuerProfileSchema>;
