// The public view of the registry's organisations (GET /organisations, GET /organisations/{id}) through
// app.request(), against a real chain: what governance and an organisation's admin do on chain shows at once.

import {
  intygDomain,
  keyConsentTypes,
  organisationNumberHash,
  organisationProfileHash,
} from "@intyg/credential";
import { DEV_PRIVATE_KEYS } from "@intyg/devchain";
import { intygRegistryAbi } from "@intyg/registry";
import { expect } from "chai";
import { createPublicClient, createWalletClient, type Hex, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  type AppHarness,
  createAppHarness,
  DEMO_PROFILE,
  expectJson,
  expectProblem,
  signerAddress,
} from "./helpers/harness";

type KeyView = {
  address: string;
  validFrom: string | null;
  validUntil: string | null;
  suspended: boolean;
  validNow: boolean;
};
type OrganisationView = {
  organisationId: number;
  status: string;
  suspendedAt: string | null;
  admin: string;
  profileHash: Hex;
  pendingProfileHash: Hex | null;
  organisationNumberHash: Hex;
  served: boolean;
  chainId: number;
  registry: string;
  profiles: { profileHash: Hex; since: string }[];
  service: { profileHash: Hex; matches: boolean; profile: typeof DEMO_PROFILE } | null;
  keys: KeyView[];
};

const VASTKOM = {
  name: "Västkom",
  legalName: "Västkom",
  organisationNumber: "222000-1354",
  url: "https://vastkom.se",
};

describe("the registry's organisations, public (GET /organisations)", function () {
  this.timeout(180_000);
  let h: AppHarness;
  const admin = privateKeyToAccount(DEV_PRIVATE_KEYS[1]);
  const governor = privateKeyToAccount(DEV_PRIVATE_KEYS[0]);

  before(async () => {
    h = await createAppHarness("postgres", { autoStartWorker: false });
  });
  after(async () => {
    await h?.close();
  });

  async function send(key: typeof admin, functionName: string, args: readonly unknown[]) {
    const publicClient = createPublicClient({ transport: http(h.deployment.rpcUrl) });
    const wallet = createWalletClient({ transport: http(h.deployment.rpcUrl), account: key });
    const hash = await wallet.writeContract({
      address: h.deployment.registry,
      abi: intygRegistryAbi,
      functionName,
      args,
      chain: null,
    } as never);
    expect((await publicClient.waitForTransactionReceipt({ hash })).status).to.equal("success");
  }

  const view = async (id: number | string, query = "") =>
    expectJson<OrganisationView>(await h.call("GET", `/organisations/${id}${query}`, { auth: null }), 200);

  it("shows an organisation the service issues for: active, its profile in force and its key, without an API key", async () => {
    const org = await view(1);
    expect(org).to.include({
      organisationId: 1,
      status: "active",
      suspendedAt: null,
      admin: admin.address,
      served: true,
      chainId: h.deployment.chainId,
      registry: h.deployment.registry,
      pendingProfileHash: null,
    });
    expect(org.profileHash).to.equal(organisationProfileHash(DEMO_PROFILE, 1));
    expect(org.organisationNumberHash).to.equal(organisationNumberHash(DEMO_PROFILE.organisationNumber));
    expect(org.profiles.map((p) => p.profileHash)).to.deep.equal([org.profileHash]);
    expect(org.service).to.deep.include({
      matches: true,
      profileHash: org.profileHash,
      profile: DEMO_PROFILE,
    });
    expect(org.keys).to.deep.equal([
      { address: signerAddress(h), validFrom: null, validUntil: null, suspended: false, validNow: true },
    ]);
  });

  it("shows a key's window, a proposed profile change and another organisation, suspended, that the service does not serve", async () => {
    const block = await createPublicClient({ transport: http(h.deployment.rpcUrl) }).getBlock();
    const from = Number(block.timestamp) + 3600;
    const until = from + 86_400;
    const next = privateKeyToAccount(DEV_PRIVATE_KEYS[4]);
    const consent = await next.signTypedData({
      domain: intygDomain(h.deployment.chainId, h.deployment.registry),
      types: keyConsentTypes,
      primaryType: "KeyConsent",
      message: { organisationId: 1, key: next.address, validFrom: from, validUntil: until },
    });
    await send(admin, "authoriseKey", [1, next.address, from, until, consent]);
    const proposed = organisationProfileHash({ ...DEMO_PROFILE, url: "https://skr.se/intyg" }, 1);
    await send(admin, "proposeOrganisationProfile", [1, proposed]);

    const org = await view(1);
    expect(org.pendingProfileHash).to.equal(proposed);
    expect(org.keys[1]).to.deep.equal({
      address: next.address,
      validFrom: new Date(from * 1000).toISOString(),
      validUntil: new Date(until * 1000).toISOString(),
      suspended: false,
      validNow: false,
    });

    // Governance accredits a second organisation, then suspends it.
    const other = privateKeyToAccount(DEV_PRIVATE_KEYS[5]);
    await send(governor, "accreditOrganisation", [
      other.address,
      organisationProfileHash(VASTKOM, 2),
      organisationNumberHash(VASTKOM.organisationNumber),
    ]);
    await send(governor, "suspendOrganisation", [2]);
    const second = await view(2);
    expect(second).to.include({ organisationId: 2, status: "suspended", served: false, service: null });
    expect(second.suspendedAt).to.match(/^\d{4}-\d\d-\d\dT/);
    expect(second.keys).to.deep.equal([]);

    const list = await expectJson<{ organisations: OrganisationView[]; blockNumber: string }>(
      await h.call("GET", "/organisations", { auth: null }),
      200,
    );
    expect(list.blockNumber).to.match(/^\d+$/);
    expect(
      list.organisations.map((o) => [o.organisationId, o.status, o.served, o.pendingProfileHash]),
    ).to.deep.equal([
      [1, "active", true, proposed],
      [2, "suspended", false, null],
    ]);
  });

  it("says when the profile the service issues with is not the one in force", async () => {
    await h.store.organisations.create({
      name: VASTKOM.name,
      chainOrganisationId: 2,
      profile: { ...VASTKOM, url: "https://vastkom.se/annan" },
    });
    const org = await view(2);
    expect(org.served).to.equal(true);
    expect(org.service!.matches).to.equal(false);
    expect(org.service!.profileHash).to.equal(
      organisationProfileHash({ ...VASTKOM, url: "https://vastkom.se/annan" }, 2),
    );
    expect(org.profileHash).to.equal(organisationProfileHash(VASTKOM, 2));
  });

  it("answers 404 problem+json for an id the registry does not have, in the caller's language, and 400 for a malformed one", async () => {
    const en = await expectProblem(
      await h.call("GET", "/organisations/99", { auth: null }),
      404,
      "not-found",
    );
    expect(en).to.include({ code: "not-found.organisation", detail: "The registry has no organisation 99" });
    const sv = await expectProblem(
      await h.call("GET", "/organisations/99", { auth: null, headers: { "accept-language": "sv" } }),
      404,
    );
    expect(sv.detail).to.equal("Registret har ingen organisation 99.");
    for (const bad of ["0", "abc", "4294967296", "-1"]) {
      await expectProblem(await h.call("GET", `/organisations/${bad}`, { auth: null }), 400, "validation");
    }
  });

  it("is in the OpenAPI document, public", async () => {
    const doc = await expectJson<{ paths: Record<string, Record<string, { security?: unknown[] }>> }>(
      await h.call("GET", "/openapi.json", { auth: null }),
      200,
    );
    expect(doc.paths["/organisations"]?.get).to.be.an("object");
    expect(doc.paths["/organisations/{id}"]?.get?.security).to.equal(undefined);
  });

  it("answers 429 past the per-client budget, shared by the list and the single view", async () => {
    const limited = await createAppHarness("postgres", {
      autoStartWorker: false,
      config: {
        rpcProxy: { rateLimit: { requests: 2, windowMs: 60_000 }, maxBatch: 100, maxBodyBytes: 1 << 20 },
      },
    });
    try {
      expect((await limited.call("GET", "/organisations", { auth: null })).status).to.equal(200);
      expect((await limited.call("GET", "/organisations/1", { auth: null })).status).to.equal(200);
      const refused = await expectProblem(
        await limited.call("GET", "/organisations/1", { auth: null }),
        429,
        "rate-limited",
      );
      expect(refused.code).to.equal("registry.rate-limited");
      expect(refused.retryAfter).to.be.a("number");
      // The API's own routes keep their per-key budget.
      expect((await limited.call("GET", "/v1/organisation")).status).to.equal(200);
    } finally {
      await limited.close();
    }
  });
});
