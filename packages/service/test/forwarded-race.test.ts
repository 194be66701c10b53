// Two replicas of the service relay requests of one organisation's key at the same time: each reads the key's
// next forwarder nonce and signs with it, and one of them finds it taken. The later one signs again with the
// next nonce instead of failing the request.

import { expect } from "chai";
import { createChainClient } from "../src/chain/client";
import { privateKeySigner } from "../src/signer";
import { type Deployment, deployFresh } from "./helpers/chain";
import { accreditOrganisation } from "./helpers/organisations";

describe("two replicas relaying one key's requests at once", function () {
  this.timeout(120_000);
  let deployment: Deployment;
  before(async () => {
    deployment = await deployFresh();
  });

  it("both succeed: the one whose forwarder nonce was taken signs again with the next", async () => {
    const accredited = await accreditOrganisation(deployment, {
      name: "Västkom",
      organisationNumber: "802479-3831",
    });
    const admin = privateKeySigner(accredited.adminKey);
    const replica = async () =>
      (
        await createChainClient({
          rpcUrl: deployment.rpcUrl,
          registry: deployment.registry,
          signer: privateKeySigner(deployment.signerKey),
          chainId: deployment.chainId,
          pollingIntervalMs: 50,
        })
      ).forKey(admin, { organisation: accredited.chainOrganisationId });
    const [a, b] = [await replica(), await replica()];
    expect(a.relayerAddress).to.equal(b.relayerAddress);
    await a.ensureFunded();
    const create = (client: typeof a, i: number) =>
      client.createEvent({
        organisationId: accredited.chainOrganisationId,
        parentId: 0n,
        kind: 1,
        metadataHash: `0x${i.toString(16).padStart(64, "0")}`,
      });
    const hashes = await Promise.all(
      [0, 1, 2, 3].flatMap((i) => [create(a, 2 * i + 1), create(b, 2 * i + 2)]),
    );
    const ids = new Set<bigint>();
    for (const hash of hashes) {
      expect((await a.waitForReceipt(hash)).status).to.equal("success");
      ids.add(await a.createdEventId(hash));
    }
    expect(ids.size).to.equal(8);
  });
});
