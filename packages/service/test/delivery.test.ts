import { checkIntegrity, parseShareUrl } from "@intyg/credential";
import { DEV_PRIVATE_KEYS, localChain } from "@intyg/devchain";
import { intygRegistryAbi, intygSoulboundAbi } from "@intyg/registry";
import { expect } from "chai";
import {
  type Address,
  createPublicClient,
  createWalletClient,
  type Hex,
  http,
  type PublicClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { qrPayload } from "../src/delivery/qr";
import { pdfToText } from "./helpers/browser";
import { type AppHarness, CONFERENCE, createAppHarness, expectJson, expectProblem } from "./helpers/harness";

type Resource = {
  id: string;
  status: string;
  commitment: Hex;
  holderUrl: string;
  batch: { root: Hex; leaf: Hex; proof: Hex[] } | null;
  credential: Record<string, unknown>;
  links: Record<string, string>;
};

/** The token id of a commitment or leaf in the service organisation's namespace, and the token contract. */
async function tokenOf(client: PublicClient, registry: Address, organisationId: number, commitment: Hex) {
  const [soulbound, tokenId] = await Promise.all([
    client.readContract({ address: registry, abi: intygRegistryAbi, functionName: "soulbound" }),
    client.readContract({
      address: registry,
      abi: intygRegistryAbi,
      functionName: "tokenIdOf",
      args: [organisationId, commitment],
    }),
  ]);
  return { soulbound, tokenId };
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe("delivery: JSON, share link, QR, PDF, holder link, claim voucher, soulbound token", () => {
  let h: AppHarness;
  let eventId: string;
  let anchored: Resource;
  let pending: Resource;

  before(async () => {
    h = await createAppHarness("pglite", { autoStartWorker: false });
    eventId = (
      await expectJson<{ id: string }>(
        await h.call("POST", "/v1/events", { body: { kind: "event", details: CONFERENCE } }),
        201,
      )
    ).id;
    const bulk = await expectJson<{ credentials: { id: string }[] }>(
      await h.call("POST", `/v1/events/${eventId}/credentials/bulk`, {
        body: {
          attendees: [
            {
              subject: {
                name: "Åsa Ängström-Öberg",
                email: "asa@example.se",
                role: "speaker",
                partsAttended: ["natverk", "hackathon"],
                organisation: "Göteborgs stad",
              },
            },
            { subject: { name: "Łukasz Żółć", role: "hackathon-team-member", team: "Vårddata" } },
            { subject: { name: "Tredje" } },
          ],
        },
        headers: { "idempotency-key": "delivery" },
      }),
      201,
    );
    await h.worker.runOnce();
    anchored = await expectJson<Resource>(
      await h.call("GET", `/v1/credentials/${bulk.credentials[0]!.id}`),
      200,
    );
    expect(anchored.status).to.equal("anchored");
    pending = await expectJson<Resource>(
      await h.call("POST", `/v1/events/${eventId}/credentials`, {
        body: { subject: { name: "Ännu ej signerad" } },
      }),
      201,
    );
  });
  after(async () => {
    await h?.close();
  });

  it("GET /v1/credentials/:id carries the signed, anchored credential with its Merkle proof", () => {
    const doc = anchored.credential as { proof: { proofValue: string }; anchor: { batch: { root: string } } };
    expect(checkIntegrity(doc).ok).to.equal(true);
    expect(doc.proof.proofValue).to.match(/^0x[0-9a-f]{130}$/);
    expect(doc.anchor.batch.root).to.equal(anchored.batch!.root);
  });

  it("a share link holds the credential in its fragment; ?hide= discloses selectively", async () => {
    const full = await expectJson<{ url: string; hidden: string[] }>(
      await h.call("GET", `/v1/credentials/${anchored.id}/share`),
      200,
    );
    expect(full.url.startsWith(`${h.config.verifyUrl}#c1.`)).to.equal(true);
    const fromLink = parseShareUrl(full.url);
    expect(fromLink.credentialSubject.email).to.equal("asa@example.se");
    const partial = await expectJson<{ url: string; hidden: string[] }>(
      await h.call(
        "GET",
        `/v1/credentials/${anchored.id}/share?hide=/credentialSubject/email,/credentialSubject/organisation`,
      ),
      200,
    );
    expect(partial.hidden).to.deep.equal(["/credentialSubject/email", "/credentialSubject/organisation"]);
    const disclosed = parseShareUrl(partial.url);
    expect(disclosed.credentialSubject.email).to.equal(undefined);
    expect(disclosed.credentialSubject.organisation).to.equal(undefined);
    expect(disclosed.credentialSubject.name).to.equal("Åsa Ängström-Öberg");
    expect(disclosed.commitment.root).to.equal(fromLink.commitment.root);
    expect(checkIntegrity(disclosed).ok).to.equal(true);
    await expectProblem(await h.call("GET", `/v1/credentials/${anchored.id}/share?hide=/issuer/name`), 400);
  });

  it("QR codes come as SVG and PNG", async () => {
    const svg = await h.call("GET", `/v1/credentials/${anchored.id}/qr.svg`);
    expect(svg.status).to.equal(200);
    expect(svg.headers.get("content-type")).to.match(/^image\/svg\+xml/);
    const text = await svg.text();
    expect(text).to.match(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(text).to.contain("<path");
    const png = await h.call("GET", `/v1/credentials/${anchored.id}/qr.png`);
    expect(png.headers.get("content-type")).to.equal("image/png");
    const bytes = Buffer.from(await png.arrayBuffer());
    expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).to.equal(true);
    expect(bytes.readUInt32BE(16)).to.equal(512);
  });

  it("a QR code carries the share link when it fits, else a short verification link", () => {
    expect(qrPayload("https://x/verify#c1.short", "https://x/v/t")).to.equal("https://x/verify#c1.short");
    expect(qrPayload(`https://x/verify#c1.${"a".repeat(3000)}`, "https://x/v/t")).to.equal("https://x/v/t");
  });

  it("the PDF certificate, in Swedish and in English, renders å ä ö and names outside Latin-1 as written", async () => {
    for (const [lang, heading, verb] of [
      ["sv", "Intyg om deltagande", "har deltagit i"],
      ["en", "Certificate of attendance", "has attended"],
    ] as const) {
      const response = await h.call("GET", `/v1/credentials/${anchored.id}/pdf?lang=${lang}`);
      expect(response.status).to.equal(200);
      expect(response.headers.get("content-type")).to.equal("application/pdf");
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(bytes.subarray(0, 5).toString()).to.equal("%PDF-");
      const text = pdfToText(bytes);
      expect(text).to.contain(heading);
      expect(text).to.contain(verb);
      expect(text).to.contain("Åsa Ängström-Öberg");
      expect(text).to.contain("Göteborgs stad");
      expect(text).to.contain(lang === "sv" ? "Talare" : "Speaker");
      expect(text).to.contain(lang === "sv" ? "Nätverksdag" : "Nätverksdag");
      expect(bytes.includes(Buffer.from("/Image"))).to.equal(true);
    }
    const other = (await h.store.credentials.list(h.organisation.id, { eventId })).items
      .map((v) => v.record)
      .find(
        (c) =>
          (c.document as { credentialSubject?: { name?: string } })?.credentialSubject?.name ===
          "Łukasz Żółć",
      )!;
    const polish = await h.call("GET", `/v1/credentials/${other.id}/pdf?lang=en`);
    expect(polish.status).to.equal(200);
    expect(pdfToText(Buffer.from(await polish.arrayBuffer()))).to.contain("Łukasz Żółć");
    await expectProblem(await h.call("GET", `/v1/credentials/${anchored.id}/pdf?lang=de`), 400);
  });

  it("a credential not yet signed cannot be delivered yet (409 with Retry-After)", async () => {
    const response = await h.call("GET", `/v1/credentials/${pending.id}/pdf`);
    expect(response.headers.get("retry-after")).to.equal("2");
    await expectProblem(response, 409);
  });

  it("the public holder link needs no API key and its token is unguessable", async () => {
    const path = new URL(anchored.holderUrl).pathname;
    expect(path).to.match(/^\/holder\/[A-Za-z0-9_-]{32}$/);
    const view = await expectJson<{ id: string; status: string; credential: unknown }>(
      await h.call("GET", path, { auth: null }),
      200,
    );
    expect(view.id).to.equal(anchored.id);
    expect(view.credential).to.deep.equal(anchored.credential);
    const pdf = await h.call("GET", `${path}/pdf?lang=en`, { auth: null });
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).to.equal("%PDF-");
    const png = await h.call("GET", `${path}/qr.png`, { auth: null });
    expect(
      Buffer.from(await png.arrayBuffer())
        .subarray(0, 8)
        .equals(PNG_SIGNATURE),
    ).to.equal(true);
    await expectProblem(await h.call("GET", `/holder/${"A".repeat(32)}`, { auth: null }), 404);
    await expectProblem(await h.call("GET", "/holder/short", { auth: null }), 404);
  });

  it("a claim voucher lets the holder's wallet claim the soulbound token of a batch credential", async () => {
    const holder = privateKeyToAccount(DEV_PRIVATE_KEYS[3]);
    const voucher = await expectJson<{
      request: { root: Hex; leaf: Hex; holder: Hex; deadline: string };
      proof: Hex[];
      signer: Hex;
      signature: Hex;
      registry: Hex;
    }>(
      await h.call("POST", `/v1/credentials/${anchored.id}/claim-voucher`, {
        body: { holder: holder.address },
      }),
      200,
    );
    expect(voucher.request.leaf).to.equal(anchored.batch!.leaf);
    const chain = localChain(h.deployment.rpcUrl, h.deployment.chainId);
    const wallet = createWalletClient({ chain, transport: http(h.deployment.rpcUrl), account: holder });
    const client = createPublicClient({ chain, transport: http(h.deployment.rpcUrl) });
    const hash = await wallet.writeContract({
      address: voucher.registry,
      abi: intygRegistryAbi,
      functionName: "claimToken",
      args: [
        { ...voucher.request, deadline: BigInt(voucher.request.deadline) },
        voucher.proof,
        voucher.signer,
        voucher.signature,
      ],
    });
    expect((await client.waitForTransactionReceipt({ hash })).status).to.equal("success");
    const { tokenId, soulbound } = await tokenOf(
      client,
      voucher.registry,
      h.deployment.organisationId,
      anchored.batch!.leaf,
    );
    const owner = await client.readContract({
      address: soulbound,
      abi: intygSoulboundAbi,
      functionName: "ownerOf",
      args: [tokenId],
    });
    expect(owner).to.equal(holder.address);
    expect(
      await client.readContract({
        address: soulbound,
        abi: intygSoulboundAbi,
        functionName: "locked",
        args: [tokenId],
      }),
    ).to.equal(true);
    await expectProblem(
      await h.call("POST", `/v1/credentials/${pending.id}/claim-voucher`, {
        body: { holder: holder.address },
      }),
      409,
    );
    await expectProblem(
      await h.call("POST", `/v1/credentials/${anchored.id}/claim-voucher`, { body: { holder: "0x1234" } }),
      400,
    );
  });

  it("a credential for a holder wallet is relayed with issueSigned and mints a soulbound token", async () => {
    const holder = privateKeyToAccount(DEV_PRIVATE_KEYS[4]);
    const issued = await expectJson<Resource>(
      await h.call("POST", `/v1/events/${eventId}/credentials`, {
        body: { subject: { name: "Plånboksägare" }, holder: holder.address },
      }),
      201,
    );
    const doc = issued.credential as {
      proof: { eip712: { message: { holder: string; batchSize: number } } };
      credentialSubject: { id: string };
    };
    expect(doc.proof.eip712.message.holder).to.equal(holder.address);
    expect(doc.proof.eip712.message.batchSize).to.equal(0);
    expect(doc.credentialSubject.id).to.equal(`did:pkh:eip155:${h.deployment.chainId}:${holder.address}`);
    await h.worker.runOnce();
    const after = await expectJson<Resource>(await h.call("GET", `/v1/credentials/${issued.id}`), 200);
    expect(after.status).to.equal("anchored");
    expect(after.batch).to.equal(null);
    const client = createPublicClient({ transport: http(h.deployment.rpcUrl) });
    const { tokenId, soulbound } = await tokenOf(
      client,
      h.deployment.registry,
      h.deployment.organisationId,
      issued.commitment,
    );
    const owner = await client.readContract({
      address: soulbound,
      abi: intygSoulboundAbi,
      functionName: "ownerOf",
      args: [tokenId],
    });
    expect(owner).to.equal(holder.address);
  });
});
