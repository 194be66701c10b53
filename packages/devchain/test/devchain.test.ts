import { organisationProfileHash } from "@intyg/credential";
import { intygRegistryAbi } from "@intyg/registry";
import { expect } from "chai";
import { createPublicClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  DEMO_ORGANISATION,
  DEV_PRIVATE_KEYS,
  type DevChain,
  deployDemo,
  deployRegistry,
  seedOrganisation,
  startDevChain,
} from "../src";

describe("devchain", function () {
  this.timeout(120_000);
  let chain: DevChain;

  before(async () => {
    chain = await startDevChain();
  });
  after(async () => {
    await chain?.stop();
  });

  it("runs hardhat node on loopback with chain id 31337", () => {
    expect(chain.rpcUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(chain.chainId).to.equal(31337);
  });

  it("deploys the registry and seeds an organisation with a key", async () => {
    const registry = await deployRegistry({ rpcUrl: chain.rpcUrl, governorKey: DEV_PRIVATE_KEYS[0] });
    const organisationId = await seedOrganisation({
      rpcUrl: chain.rpcUrl,
      registry,
      governorKey: DEV_PRIVATE_KEYS[0],
      adminKey: DEV_PRIVATE_KEYS[1],
      signingKey: DEV_PRIVATE_KEYS[2],
      profile: {
        name: "Demo",
        legalName: "Demo AB",
        organisationNumber: "556677-8899",
        url: "https://example.se",
      },
    });
    expect(organisationId).to.equal(1);
    const client = createPublicClient({ transport: http(chain.rpcUrl) });
    const key = await client.readContract({
      address: registry,
      abi: intygRegistryAbi,
      functionName: "signingKey",
      args: [privateKeyToAccount(DEV_PRIVATE_KEYS[2]).address],
    });
    expect(key.organisationId).to.equal(1);
    const org = await client.readContract({
      address: registry,
      abi: intygRegistryAbi,
      functionName: "organisation",
      args: [1],
    });
    expect(org.admin).to.equal(privateKeyToAccount(DEV_PRIVATE_KEYS[1]).address);
  });

  it("deploys the demo: its organisation's profile hash is in force on accreditation, its key authorised", async () => {
    const demo = await deployDemo({ chain });
    expect(demo.profile).to.deep.equal(DEMO_ORGANISATION);
    const client = createPublicClient({ transport: http(chain.rpcUrl) });
    const org = await client.readContract({
      address: demo.registry,
      abi: intygRegistryAbi,
      functionName: "organisation",
      args: [demo.organisationId],
    });
    expect(org.profileHash).to.equal(organisationProfileHash(DEMO_ORGANISATION, demo.organisationId));
    const key = await client.readContract({
      address: demo.registry,
      abi: intygRegistryAbi,
      functionName: "signingKey",
      args: [privateKeyToAccount(demo.signerKey).address],
    });
    expect(key.organisationId).to.equal(demo.organisationId);
  });
});
