// Which key is current is remembered for a few seconds; making another key current forgets it at once. A read of
// the current key that began before the change and ends after it must not bring the old key back for those
// seconds (the worker resolving a signer while an admin rotates the key).

import { expect } from "chai";
import { createKeyDirectory } from "../src/keys/directory";
import { generateOrganisationKey } from "../src/keys/vault";
import type { Store } from "../src/store/store";
import { createHarness, type Harness } from "./helpers/harness";

describe("the key directory's memory of the current key", () => {
  let h: Harness;
  before(async () => {
    h = await createHarness("pglite");
  });
  after(async () => {
    await h?.close();
  });

  it("does not keep a key read before another was made current", async () => {
    const organisation = h.organisation;
    const [a, b] = [0, 1].map(() => generateOrganisationKey(h.keyring, organisation.id, "signing"));
    for (const key of [a!, b!]) {
      await h.store.organisationKeys.create(key, { actor: "test", details: null });
      await h.store.organisationKeys.update(organisation.id, key.address, { status: "active" }, null);
    }
    await h.store.organisationKeys.makeCurrent(organisation.id, a!.address, "test");

    // A store whose next read of the current key is held after it has read, until the test lets it go.
    let hold: Promise<void> | null = null;
    let release = () => {};
    const keys = h.store.organisationKeys;
    const store = {
      ...h.store,
      organisationKeys: {
        ...keys,
        current: async (...args: Parameters<typeof keys.current>) => {
          const key = await keys.current(...args);
          if (hold) await hold;
          return key;
        },
      },
    } as Store;
    const directory = createKeyDirectory({ store, keyring: h.keyring, currentTtlMs: 60_000 });
    const fallback = { signer: h.signer, chain: h.chain };

    hold = new Promise((resolve) => {
      release = resolve;
    });
    const early = directory.resolve(organisation, fallback);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Meanwhile the admin makes b current (as the lifecycle does: the store, then forget).
    await h.store.organisationKeys.makeCurrent(organisation.id, b!.address, "test");
    directory.forget(organisation.id);
    hold = null;
    release();
    expect((await early).signer.address).to.equal(a!.address);

    expect((await directory.resolve(organisation, fallback)).signer.address).to.equal(b!.address);
  });
});
