// The status model (./status) as zod schemas.

import { z } from "zod";
import { CREDENTIAL_STANDINGS, CREDENTIAL_STATES, DELIVERY_STATUSES } from "./status";

export const credentialStateSchema = z.enum(CREDENTIAL_STATES);
export const credentialStandingSchema = z.enum(CREDENTIAL_STANDINGS);
export const deliveryStatusSchema = z.enum(DELIVERY_STATUSES);
