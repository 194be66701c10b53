// The holder's journey end to end, as an attendee and an employer would take it: the holder link, the PDF and
// its printed QR code (rendered by pdftoppm, decoded by zbarimg), opened in headless Chromium, where the
// credential verifies against the real chain and no hidden claim shows on the page or in any response.

import { writeFileSync } from "node:fs";
import path from "node:path";
import { DEV_PRIVATE_KEYS, localChain } from "@intyg/devchain";
import { intygRegistryAbi, intygSoulboundAbi } from "@intyg/registry";
import { verifyPresentation } from "@intyg/verifier";
import { expect } from "chai";
import type { Browser, Page, Response as PwResponse } from "playwright-core";
import { createPublicClient, createWalletClient, type Hex, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { decodeQr, type LiveApp, launchChromium, pdfPagePng, pdfToText, serveApp } from "./helpers/browser";
import { type AppHarness, CONFERENCE, createAppHarness, expectJson } from "./helpers/harness";

const EMAIL = "lukasz.nguyen@example.se";

/** Names a Swedish public-sector register may hold, one per script the certificate must set exactly. */
const NAMES = [
  "Łukasiewicz-Nguyễn",
  "Áilu Ŋuorra Čávža",
  "Søren Ærø-Đorđević",
  "Nguyễn Thị Minh Khai",
  "İlkay Gündoğan Şahin",
  "Александра Ёлкина",
  "Γιώργος Παπαδόπουλος",
  "محمد عبد الله",
  "فاطمة الزهراء بن علي",
  "王小明",
  "やまもと さくら",
  "김민준",
];

const COURSE = {
  name: "Blockkedjor för tillförlitliga data i vård och skola",
  description: "Grundkurs för offentlig sektor",
  hours: 40,
  credits: 7.5,
  learningOutcomes: ["Förklara hur en Merkle-rot förankras", "Bedöma när en blockkedja behövs"],
  skills: [{ name: "blockkedjeteknik" }, { name: "informationssäkerhet" }],
  assessment: "Skriftlig inlämning",
};

/** With INTYG_DOCS_DIR set, the pictures of the README are written there (PDF pages, screenshots). */
function docsImage(name: string, png: Uint8Array): void {
  const dir = process.env.INTYG_DOCS_DIR;
  if (dir) writeFileSync(path.join(dir, name), png);
}

/** pdftotext's text without the bidi embedding marks poppler puts around right-to-left text. */
const plain = (text: string) => text.replace(/[\u202A-\u202E\u2066-\u2069]/g, "").normalize("NFC");
const ORGANISATION = "Региональная служба";

/** Every response body the page received, as text (binary bodies as latin1), to search for hidden claims. */
function recordBodies(page: Page): { bodies: string[]; urls: string[] } {
  const seen = { bodies: [] as string[], urls: [] as string[] };
  page.on("response", async (response: PwResponse) => {
    seen.urls.push(response.url());
    try {
      seen.bodies.push((await response.body()).toString("utf8"));
    } catch {
      // A redirect has no body.
    }
    const location = response.headers().location;
    if (location) seen.bodies.push(decodeURIComponent(location));
  });
  return seen;
}

describe("the holder's journey: holder link, PDF, printed QR code, verifier page (Chromium, poppler, zbar)", function () {
  this.timeout(240_000);
  let h: AppHarness;
  let live: LiveApp;
  let browser: Browser;
  let holderPath: string;
  let credentialId: string;
  let eventId: string;

  before(async () => {
    h = await createAppHarness("pglite", { autoStartWorker: false });
    live = await serveApp(h);
    const event = await expectJson<{ id: string }>(
      await h.call("POST", "/v1/events", { body: { kind: "event", details: CONFERENCE } }),
      201,
    );
    eventId = event.id;
    const bulk = await expectJson<{ credentials: { id: string; holderUrl: string }[] }>(
      await h.call("POST", `/v1/events/${event.id}/credentials/bulk`, {
        body: {
          attendees: [
            {
              subject: {
                name: "Łukasiewicz-Nguyễn",
                email: EMAIL,
                organisation: ORGANISATION,
                role: "speaker",
                partsAttended: ["natverk", "hackathon"],
              },
            },
          ],
        },
        headers: { "idempotency-key": "journey" },
      }),
      201,
    );
    await h.worker.runOnce();
    credentialId = bulk.credentials[0]!.id;
    holderPath = new URL(bulk.credentials[0]!.holderUrl).pathname;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await live?.close();
    await h?.close();
  });

  it("the QR code printed on a PDF with the e-mail hidden opens the verifier page: verified, no e-mail anywhere", async () => {
    const response = await fetch(`${live.base}${holderPath}/pdf?lang=sv&hide=/credentialSubject/email`);
    expect(response.status).to.equal(200);
    const pdf = new Uint8Array(await response.arrayBuffer());
    const [url] = decodeQr(pdfPagePng(pdf, 150));
    expect(url, "a QR code on the page").to.be.a("string");
    expect(url).to.not.contain(EMAIL);
    expect(url!.startsWith(`${live.base}/`)).to.equal(true);
    expect(pdfToText(pdf)).to.not.contain(EMAIL);

    const page = await browser.newPage();
    const seen = recordBodies(page);
    await page.goto(url!);
    await page.waitForSelector('#verdict[data-verified="true"]', { timeout: 60_000 });
    const text = (await page.locator("body").textContent()) ?? "";
    expect(text).to.contain("Łukasiewicz-Nguyễn");
    expect(text).to.not.contain(EMAIL);
    for (const body of seen.bodies) expect(body).to.not.contain(EMAIL);
    await page.close();
  });

  it("the PDF gives back every name, in every script, exactly (pdftotext), under 300 KB with CJK", async () => {
    const course = await expectJson<{ id: string }>(
      await h.call("POST", "/v1/events", { body: { kind: "course", details: COURSE } }),
      201,
    );
    const bulk = await expectJson<{ credentials: { id: string; holderUrl: string }[] }>(
      await h.call("POST", `/v1/events/${course.id}/credentials/bulk`, {
        body: {
          attendees: NAMES.map((name) => ({
            subject: { name, result: [{ type: ["Result"], value: "Godkänd", status: "Completed" }] },
          })),
        },
        headers: { "idempotency-key": "names" },
      }),
      201,
    );
    await h.worker.runOnce();
    let largest = 0;
    for (const [i, name] of NAMES.entries()) {
      const path = new URL(bulk.credentials[i]!.holderUrl).pathname;
      const pdf = new Uint8Array(await (await fetch(`${live.base}${path}/pdf?lang=sv`)).arrayBuffer());
      largest = Math.max(largest, pdf.length);
      if (process.env.INTYG_DOCS_DIR) console.log(`      ${name}: ${pdf.length} bytes`);
      if (i === 0) docsImage("certificate-sv.png", pdfPagePng(pdf, 100));
      const text = plain(pdfToText(pdf));
      expect(text.split("\n"), name).to.include(name.normalize("NFC"));
      expect(text).to.contain("7,5 hp");
      expect(text).to.contain("40 timmar");
      expect(text).to.contain("Skriftlig inlämning");
      expect(text).to.contain("blockkedjeteknik, informationssäkerhet");
      expect(text).to.contain("Godkänd – Genomförd");
    }
    expect(largest).to.be.below(300_000);
    const english = plain(
      pdfToText(
        new Uint8Array(
          await (
            await fetch(`${live.base}${new URL(bulk.credentials[0]!.holderUrl).pathname}/pdf?lang=en`)
          ).arrayBuffer(),
        ),
      ),
    );
    expect(english).to.contain("7.5 credits");
  });

  it("the holder page, in Swedish and English: the certificate in words, hide choices with a preview, a share link whose page shows no hidden claim", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${live.base}${holderPath}`);
    await page.waitForSelector("body[data-ready=true]");
    expect(await page.getAttribute("html", "lang")).to.equal("sv");
    expect(await page.textContent("#holder-name")).to.equal("Łukasiewicz-Nguyễn");
    expect(await page.textContent("#kind")).to.equal("Intyg om deltagande");
    const facts = (await page.textContent("#facts")) ?? "";
    expect(facts).to.contain("12–14 maj 2026");
    expect(facts).to.contain("Talare");
    expect(facts).to.contain(EMAIL);
    expect(await page.textContent("#status")).to.contain("Giltigt");
    // The e-mail is hidden by default; hide the organisation too and watch the preview follow.
    expect(await page.isChecked('#choices input[value="/credentialSubject/email"]')).to.equal(true);
    await page.check('#choices input[value="/credentialSubject/organisation"]');
    const preview = (await page.textContent("#preview")) ?? "";
    expect(preview).to.not.contain(EMAIL);
    expect(preview).to.not.contain(ORGANISATION);
    expect(preview).to.contain("dolt");
    docsImage("holder-sv-1280.png", await page.screenshot({ fullPage: true }));
    await page.click("#make-link");
    await page.waitForSelector("#shared:not([hidden])");
    const url = await page.inputValue("#share-url");
    expect(url).to.match(/\/v\/[A-Za-z0-9_-]{22}$/);
    const qrSrc = (await page.getAttribute("#qr", "src"))!;
    const qr = await (await fetch(`${live.base}${qrSrc}`)).text();
    expect(qr).to.match(/^<svg/);
    expect(await page.textContent("#links")).to.contain(url);

    // The recipient opens the link: verified, and neither the page nor any response carries a hidden claim.
    const recipient = await browser.newPage();
    const seen = recordBodies(recipient);
    await recipient.goto(url);
    await recipient.waitForSelector('#verdict[data-verified="true"]', { timeout: 60_000 });
    const shown = (await recipient.locator("body").textContent()) ?? "";
    expect(shown).to.contain("Łukasiewicz-Nguyễn");
    for (const hidden of [EMAIL, ORGANISATION]) {
      expect(shown).to.not.contain(hidden);
      for (const body of seen.bodies) expect(body).to.not.contain(hidden);
    }
    await recipient.close();

    // English on request, and at a phone's width.
    await page.click("#lang");
    expect(await page.getAttribute("html", "lang")).to.equal("en");
    expect(await page.textContent("#kind")).to.equal("Certificate of attendance");
    expect((await page.textContent("#facts")) ?? "").to.contain("12–14 May 2026");
    expect(await page.textContent("#status")).to.contain("Valid");
    docsImage("holder-en-1280.png", await page.screenshot({ fullPage: true }));
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(overflow, "no horizontal scrolling at 390 px").to.equal(false);
    docsImage("holder-en-390.png", await page.screenshot({ fullPage: true }));
    await page.goto(`${live.base}${holderPath}`);
    await page.waitForSelector("body[data-ready=true]");
    docsImage("holder-sv-390.png", await page.screenshot({ fullPage: true }));
    await context.close();
  });

  it("axe-core finds no serious or critical violation on the holder page (sv and en)", async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    for (const lang of ["sv", "en"]) {
      await page.goto(`${live.base}${holderPath}?lang=${lang}`);
      await page.waitForSelector("body[data-ready=true]");
      await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
      const violations = await page.evaluate(async () => {
        const result = await (
          window as unknown as {
            axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> };
          }
        ).axe.run();
        return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
      });
      const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      expect(serious, JSON.stringify(violations)).to.deep.equal([]);
    }
    await context.close();
  });

  it("a wallet (a scripted EIP-1193 provider on the local chain) claims the soulbound token and signs a presentation", async () => {
    const holder = privateKeyToAccount(DEV_PRIVATE_KEYS[5]);
    const chain = localChain(h.deployment.rpcUrl, h.deployment.chainId);
    const wallet = createWalletClient({ chain, transport: http(h.deployment.rpcUrl), account: holder });
    const client = createPublicClient({ chain, transport: http(h.deployment.rpcUrl) });
    // The wallet's answers come from Node: the page's policy lets it talk to its own origin only.
    const context = await browser.newContext({ bypassCSP: true });
    await context.exposeFunction("__wallet", async (method: string, params: unknown[]) => {
      switch (method) {
        case "eth_requestAccounts":
        case "eth_accounts":
          return [holder.address];
        case "eth_chainId":
          return `0x${h.deployment.chainId.toString(16)}`;
        case "eth_sendTransaction": {
          const tx = params[0] as { to: Hex; data: Hex };
          return wallet.sendTransaction({ to: tx.to, data: tx.data });
        }
        case "eth_signTypedData_v4": {
          const { domain, types, primaryType, message } = JSON.parse(params[1] as string);
          delete types.EIP712Domain;
          return holder.signTypedData({ domain, types, primaryType, message });
        }
        default:
          return client.request({ method: method as never, params: params as never });
      }
    });
    // A string, not a function: the test runner's transpiler adds helpers the page does not have.
    await context.addInitScript(
      "window.ethereum = { request: ({ method, params }) => window.__wallet(method, params || []) };",
    );
    const page = await context.newPage();
    await page.goto(`${live.base}${holderPath}?lang=en`);
    await page.waitForSelector("body[data-ready=true]");
    const seenByPage = await page.evaluate(
      () => typeof (window as unknown as { ethereum?: unknown }).ethereum,
    );
    expect(seenByPage, "window.ethereum").to.equal("object");
    expect(await page.isVisible("#no-wallet")).to.equal(false);
    await page.click("#claim");
    await page.waitForSelector("#wallet-status[data-claimed]", { timeout: 60_000 });
    const credential = (await (await fetch(`${live.base}${holderPath}/credential.json`)).json()) as {
      anchor: { eventId: string; batch: { leaf: Hex } };
    };
    // Token ids live in the issuing organisation's namespace, on the registry's own token contract.
    const organisationId = Number(BigInt(credential.anchor.eventId) >> 32n);
    const tokenId = await client.readContract({
      address: h.deployment.registry,
      abi: intygRegistryAbi,
      functionName: "tokenIdOf",
      args: [organisationId, credential.anchor.batch.leaf],
    });
    const soulbound = await client.readContract({
      address: h.deployment.registry,
      abi: intygRegistryAbi,
      functionName: "soulbound",
    });
    const owner = await client.readContract({
      address: soulbound,
      abi: intygSoulboundAbi,
      functionName: "ownerOf",
      args: [tokenId],
    });
    expect(owner).to.equal(holder.address);

    // A presentation proves the holder only for a credential issued to their wallet: open that one's page.
    const bound = await expectJson<{ id: string; holderUrl: string }>(
      await h.call("POST", `/v1/events/${eventId}/credentials`, {
        body: { subject: { name: "Plånboksägare Åkesson" }, holder: holder.address },
      }),
      201,
    );
    await h.worker.runOnce();
    await page.goto(`${live.base}${new URL(bound.holderUrl).pathname}?lang=en`);
    await page.waitForSelector("body[data-ready=true]");
    await page.fill("#challenge", "a1b2c3d4e5f60718");
    await page.fill("#domain", "arbetsgivare.example.se");
    await page.click("#present-form button[type=submit]");
    await page.waitForSelector("#wallet-status[data-presented]", { timeout: 60_000 });
    const href = (await page.getAttribute("#presentation", "href"))!;
    const presentation = JSON.parse(await page.evaluate(async (url) => (await fetch(url)).text(), href));
    expect(presentation.holder).to.equal(`did:pkh:eip155:${h.deployment.chainId}:${holder.address}`);
    const report = await verifyPresentation(presentation, {
      rpcUrl: h.deployment.rpcUrl,
      registry: h.deployment.registry,
      challenge: "a1b2c3d4e5f60718",
      domain: "arbetsgivare.example.se",
    });
    expect(report.verified, JSON.stringify(report.checks)).to.equal(true);
    await context.close();
  });

  it("the short verification link serves the disclosed credential to programs and stops when revoked", async () => {
    const link = await expectJson<{ token: string; url: string; hidden: string[] }>(
      await h.call("POST", `${holderPath}/links`, {
        auth: null,
        body: { hide: ["/credentialSubject/email", "/credentialSubject/organisation"] },
      }),
      200,
    );
    const path = new URL(link.url).pathname;
    expect(path).to.match(/^\/v\/[A-Za-z0-9_-]{22}$/);
    const doc = await expectJson<{ credentialSubject: Record<string, unknown> }>(
      await h.call("GET", path, { auth: null, headers: { accept: "application/json" } }),
      200,
    );
    expect(doc.credentialSubject.email).to.equal(undefined);
    expect(doc.credentialSubject.organisation).to.equal(undefined);
    expect(doc.credentialSubject.name).to.equal("Łukasiewicz-Nguyễn");
    const browserAnswer = await h.call("GET", path, { auth: null, headers: { accept: "text/html" } });
    expect(browserAnswer.status).to.equal(303);
    expect(browserAnswer.headers.get("location")).to.match(/\/verify#c1\./);
    // The same choice gives the same link.
    const again = await expectJson<{ token: string }>(
      await h.call("POST", `${holderPath}/links`, {
        auth: null,
        body: { hide: ["/credentialSubject/organisation", "/credentialSubject/email"] },
      }),
      200,
    );
    expect(again.token).to.equal(link.token);
    const revoked = await h.call("POST", `${holderPath}/links/${link.token}/revoke`, { auth: null });
    expect(revoked.status).to.equal(204);
    expect(
      (await h.call("GET", path, { auth: null, headers: { accept: "application/json" } })).status,
    ).to.equal(404);
    const gone = await h.call("GET", path, { auth: null, headers: { accept: "text/html" } });
    expect(gone.status).to.equal(404);
    expect(await gone.text()).to.contain("Länken fungerar inte");
    expect(credentialId).to.be.a("string");
  });
  it("a revoked credential's PDF says so across the page and in a status line, with reason and date", async () => {
    const revoked = await h.call("POST", `/v1/credentials/${credentialId}/revoke`, {
      body: { reason: "issuedInError" },
    });
    expect(revoked.status).to.be.oneOf([200, 202]);
    for (const [lang, mark, line, dates] of [
      ["sv", "ÅTERKALLAT", "Skäl: utfärdat av misstag", "12–14 maj 2026"],
      ["en", "REVOKED", "Reason: issued in error", "12–14 May 2026"],
    ] as const) {
      const pdf = new Uint8Array(
        await (await fetch(`${live.base}${holderPath}/pdf?lang=${lang}`)).arrayBuffer(),
      );
      const text = plain(pdfToText(pdf));
      if (lang === "en") docsImage("certificate-revoked-en.png", pdfPagePng(pdf, 100));
      expect(text).to.contain(mark);
      expect(text).to.contain(line);
      expect(text).to.contain(dates);
    }
    const page = await browser.newPage();
    await page.goto(`${live.base}${holderPath}`);
    await page.waitForSelector("body[data-ready=true]");
    expect(await page.textContent("#status")).to.contain("Återkallat");
    expect(await page.textContent("#status")).to.contain("utfärdat av misstag");
    await page.close();

    // Erasure deletes the holder's short links with the personal data.
    const link = await expectJson<{ url: string }>(
      await h.call("POST", `${holderPath}/links`, { auth: null, body: { hide: [] } }),
      200,
    );
    expect((await h.call("POST", `/v1/credentials/${credentialId}/erase`)).status).to.equal(200);
    const after = await h.call("GET", new URL(link.url).pathname, {
      auth: null,
      headers: { accept: "application/json" },
    });
    expect(after.status).to.equal(404);
    expect(await h.store.verificationLinks.list(credentialId)).to.deep.equal([]);
  });
});
