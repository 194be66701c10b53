// Root hooks: the shared dev chain stops after the last test.
// One key-encryption key for the whole run, inherited by the service processes tests start, so that every
// process and store on a shared database opens what the others sealed (as INTYG_KEK does in production).
process.env.INTYG_KEK ??= `test:${Buffer.alloc(32, 42).toString("base64")}`;

import { stopDevChain } from "./helpers/chain";

export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(30_000);
    await stopDevChain();
  },
};
