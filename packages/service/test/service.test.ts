import { DEV_PRIVATE_KEYS } from "@intyg/devchain";
import { expect } from "chai";
import { createPublicClient, type Hex, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { bootstrap } from "../src/bootstrap";
import { defaultConfig } from "../src/config";
import { silentLogger } from "../src/logger";
import { type RunningService, startService } from "../src/service";
import { privateKeySigner } from "../src/signer";
import { type Deployment, deployFresh } from "./helpers/chain";
import { CONFERENCE, DEMO_PROFILE } from "./helpers/harness";
import { openTestStore, STORE_KINDS } from "./helpers/stores";

for (const kind of STORE_KINDS) {
  describe(`startService over a real socket on 127.0.0.1 (${kind})`, () => {
    let deployment: Deployment;
    let service: RunningService;
    let store: Awaited<ReturnType<typeof openTestStore>>;
    let headers: Record<string, string>;
    const relayer = privateKeyToAccount(DEV_PRIVATE_KEYS[3]);

    before(async () => {
      deployment = await deployFresh();
      store = await openTestStore(kind);
      const { secret } = await bootstrap(
        store,
        { profile: DEMO_PROFILE, chainOrganisationId: deployment.organisationId },
        deployment,
      );
      headers = { authorization: `Bearer ${secret}`, "content-type": "application/json" };
      service = await startService({
        config: defaultConfig({
          rpcUrl: deployment.rpcUrl,
          registry: deployment.registry,
          port: 0,
          worker: { pollIntervalMs: 50, retryBaseMs: 50 } as never,
        }),
        signer: privateKeySigner(deployment.signerKey),
        relayer: privateKeySigner(DEV_PRIVATE_KEYS[3]),
        store,
        logger: silentLogger(),
      });
    });
    after(async () => {
      await service?.stop();
      await store?.close();
    });

    async function poll(id: string, status = "anchored") {
      for (let i = 0; i < 300; i++) {
        const body = (await (await fetch(`${service.url}/v1/credentials/${id}`, { headers })).json()) as {
          status: string;
          txHash: Hex | null;
          batch: { id: string } | null;
        };
        if (body.status === status) return body;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`credential ${id} never became ${status}`);
    }

    it("listens on loopback only", () => {
      expect(service.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    });

    it("takes concurrent bulk requests over HTTP: nothing lost or doubled, every credential anchored", async () => {
      const event = (await (
        await fetch(`${service.url}/v1/events`, {
          method: "POST",
          headers,
          body: JSON.stringify({ kind: "event", details: CONFERENCE }),
        })
      ).json()) as { id: string };
      const requests = [0, 1, 2, 3, 0, 2].map((i) => ({
        key: `socket-${i}`,
        body: JSON.stringify({
          attendees: Array.from({ length: 50 }, (_, j) => ({ subject: { name: `S${i}-${j}` } })),
        }),
      }));
      const responses = await Promise.all(
        requests.map((r) =>
          fetch(`${service.url}/v1/events/${event.id}/credentials/bulk`, {
            method: "POST",
            headers: { ...headers, "idempotency-key": r.key },
            body: r.body,
          }),
        ),
      );
      expect(responses.map((r) => r.status)).to.deep.equal([201, 201, 201, 201, 201, 201]);
      const bodies = (await Promise.all(responses.map((r) => r.json()))) as {
        credentials: { id: string }[];
      }[];
      expect(bodies[4]).to.deep.equal(bodies[0]);
      expect(bodies[5]).to.deep.equal(bodies[2]);
      const ids = new Set(bodies.flatMap((b) => b.credentials.map((c) => c.id)));
      expect(ids.size).to.equal(200);
      for (const id of [...ids].filter((_, i) => i % 25 === 0)) await poll(id);
      const [row] = await store.db.query<{ n: number }>("SELECT count(*)::int AS n FROM credentials");
      expect(Number(row!.n)).to.equal(200);
      await poll([...ids].pop()!);
      const [anchored] = await store.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM credentials WHERE status = 'anchored'",
      );
      expect(Number(anchored!.n)).to.equal(200);
    });

    it("relays a holder's credential (issueSigned) from the relayer account, signed by the key", async () => {
      const list = (await (await fetch(`${service.url}/v1/events`, { headers })).json()) as {
        items: { id: string }[];
      };
      const issued = (await (
        await fetch(`${service.url}/v1/events/${list.items[0]!.id}/credentials`, {
          method: "POST",
          headers,
          body: JSON.stringify({
            subject: { name: "Relä" },
            holder: privateKeyToAccount(DEV_PRIVATE_KEYS[5]).address,
          }),
        })
      ).json()) as { id: string };
      const anchored = await poll(issued.id);
      const client = createPublicClient({ transport: http(deployment.rpcUrl) });
      const tx = await client.getTransaction({ hash: anchored.txHash! });
      expect(tx.from).to.equal(relayer.address.toLowerCase());
      expect(tx.from).not.to.equal(privateKeyToAccount(deployment.signerKey).address.toLowerCase());
    });

    it("serves the verifier page of @intyg/web at /verify, configured with the chain", async () => {
      const page = await fetch(`${service.url}/verify`);
      expect(page.status).to.equal(200);
      expect(page.headers.get("content-type")).to.match(/^text\/html/);
      const html = await page.text();
      // The service's read-only proxy, never the private node's URL.
      expect(html).to.contain(`<meta name="intyg-rpc" content="${service.url}/verify/rpc">`);
      expect(html).not.to.contain(`content="${deployment.rpcUrl}"`);
      expect(html).to.contain(`<meta name="intyg-registry" content="${deployment.registry}">`);
      expect(html).to.contain(`<meta name="intyg-chain-id" content="${deployment.chainId}">`);
      // No inline script, so the policy can forbid them; reads only from this origin and the public node.
      expect(html).to.match(/<script src="\/verify\/verify\.js"><\/script>/);
      // Its first script, from the head: the chain context read while verify.js downloads.
      const head = html.slice(0, html.indexOf("</head>"));
      expect(head).to.include('<script src="/verify/verify-early.js" async></script>');
      const early = await fetch(`${service.url}/verify/verify-early.js`);
      expect(early.status).to.equal(200);
      expect(early.headers.get("content-type")).to.match(/^text\/javascript/);
      expect(await early.text()).to.include("eth_chainId");
      expect(html).not.to.match(/<script>/);
      const csp = page.headers.get("content-security-policy") ?? "";
      expect(csp).to.match(/script-src 'self'(;|$)/);
      expect(csp).to.not.include("unsafe-inline");
      expect(csp).to.match(/connect-src 'self'[^;]*;/);
      const script = await fetch(`${service.url}/verify/verify.js`);
      expect(script.status).to.equal(200);
      expect(script.headers.get("content-type")).to.match(/^text\/javascript/);
      // Gzipped for a browser that accepts it (fetch decodes it), as is for one that does not.
      expect(script.headers.get("content-encoding")).to.equal("gzip");
      expect(script.headers.get("vary")).to.match(/accept-encoding/i);
      const plain = await fetch(`${service.url}/verify/verify.js`, {
        headers: { "accept-encoding": "identity" },
      });
      expect(plain.headers.get("content-encoding")).to.equal(null);
      expect(await plain.text()).to.equal(await script.clone().text());
      // What the page imports on first use (QR codes) comes from the same origin, as JavaScript.
      const main = await script.text();
      for (const name of ["verify-qr.js", "verify-qr-image.js"]) {
        expect(main).to.include(`import("./${name}")`);
        const module = await fetch(`${service.url}/verify/${name}`);
        expect(module.status, name).to.equal(200);
        expect(module.headers.get("content-type"), name).to.match(/^text\/javascript/);
        expect(await module.text(), name).to.match(/\bexport\s*\{/);
      }
    });

    it("stops: the socket closes", async () => {
      const url = service.url;
      await service.stop();
      try {
        await fetch(`${url}/healthz`);
        expect.fail("the server still answers");
      } catch (error) {
        expect(String(error)).to.match(/fetch failed|ECONNREFUSED/);
      }
    });
  });
}
