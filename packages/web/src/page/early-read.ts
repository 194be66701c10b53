// What the verifier page's first script (early.ts) leaves for its main script: the chain context it asked the
// configured node for, and which node and registry it asked about.

import type { EarlyRead } from "@intyg/verifier/early";

export type PageEarlyRead = { rpcUrl: string; registry: string; read: EarlyRead };

/** The global the first script leaves it under. */
export const EARLY_READ = "__intygEarlyRead";
