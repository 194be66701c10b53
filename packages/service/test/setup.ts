// Root hooks: the shared dev chain stops after the last test.
import { stopDevChain } from "./helpers/chain";

export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(30_000);
    await stopDevChain();
  },
};
