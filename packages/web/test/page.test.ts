// End to end in headless Chromium: the built page, served from a tiny static server on 127.0.0.1, verifies a
// valid and a tampered credential against a real chain, and sends nothing but chain reads off the page.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { encodeShareFragment } from "@intyg/credential";
import { createPresentation, holderDid } from "@intyg/verifier";
import { expect } from "chai";
import { type Browser, chromium, type Page } from "playwright-core";
import QRCode from "qrcode";
import { account, clone, createFixture, type Fixture } from "../../verifier/test/fixture";
import { servedVerifyPage, type VerifyLazyModule, WEB_ASSETS, type WebAssetName, webAssetsDir } from "../src";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Serves the page as the service does: /verify configured with the chain (meta tags) and sent with its
 * Content-Security-Policy, its files under /verify/, and the unconfigured static build at /.
 */
function serve(fx: Fixture): Promise<http.Server> {
  const served = servedVerifyPage({ rpcUrl: fx.rpcUrl, registry: fx.registry, chainId: fx.chainId });
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    if (url.pathname === "/verify") {
      response.writeHead(200, {
        "content-type": WEB_ASSETS["index.html"],
        "content-security-policy": served.csp,
      });
      response.end(served.html);
      return;
    }
    if (url.pathname === "/verify/verify.js" || url.pathname === "/verify/verify.css") {
      const name = url.pathname.slice("/verify/".length) as WebAssetName;
      response.writeHead(200, { "content-type": WEB_ASSETS[name] });
      response.end(name === "verify.js" ? served.script : served.style);
      return;
    }
    if (url.pathname === "/verify/verify-early.js" && served.early !== undefined) {
      response.writeHead(200, { "content-type": WEB_ASSETS["verify-early.js"] });
      response.end(served.early);
      return;
    }
    const module = served.modules?.[url.pathname.slice("/verify/".length) as VerifyLazyModule];
    if (url.pathname.startsWith("/verify/") && module !== undefined) {
      response.writeHead(200, { "content-type": "text/javascript; charset=utf-8" });
      response.end(module);
      return;
    }
    const name = (url.pathname === "/" ? "index.html" : url.pathname.slice(1)) as WebAssetName;
    if (!(name in WEB_ASSETS)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": WEB_ASSETS[name] });
    response.end(readFileSync(path.join(webAssetsDir(), name)));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

describe("verifier page in headless Chromium", function () {
  this.timeout(180_000);
  let fx: Fixture;
  let server: http.Server;
  let base: string;
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];

  before(async () => {
    fx = await createFixture();
    server = await serve(fx);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
    page = await browser.newPage({ locale: "sv-SE" });
    page.on("request", (request) => requests.push(request.url()));
  });
  after(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await fx?.stop();
  });

  const verdict = (verified: boolean) =>
    page.waitForSelector(`#verdict[data-verified="${verified}"]`, { timeout: 60_000 });
  const statusOf = (id: string) => page.getAttribute(`#checks li[data-check="${id}"]`, "data-status");

  it("opens a share link, decodes the fragment on load and shows the verdict first, in Swedish", async () => {
    const credential = await fx.issue();
    await page.goto(`${base}/verify#${encodeShareFragment(credential)}`);
    await verdict(true);
    expect(await page.textContent("#verdict")).to.match(/Verifierat/);
    expect(await page.getAttribute("html", "lang")).to.equal("sv");
    expect(await page.locator("#checks li").count()).to.equal(9);
    expect(await statusOf("anchor")).to.equal("passed");
    expect(await statusOf("holder")).to.equal("skipped");
    expect(await page.textContent("#proved")).to.include("Region Exempel");
    expect(await page.textContent("#trust"))
      .to.include(fx.registry)
      .and.include("webbplatsens egen konfiguration");
    expect(await page.isHidden("#ignored")).to.equal(true);
    expect(await page.getAttribute("#verdict", "aria-live")).to.equal("polite");
    // The demo key's window opens at the registry's start (validFrom 0): said in words, not as 1 January 1970.
    const issuer = (await page.textContent('#checks li[data-check="issuer"]')) ?? "";
    expect(issuer).to.include("nyckeln signerar för den från början tills vidare");
    expect(issuer).to.not.include("1970");
  });

  it("fails a tampered credential pasted into the box, using the keyboard only", async () => {
    const tampered = clone(await fx.issue());
    tampered.credentialSubject.name = "Mallory";
    await page.focus("#json");
    await page.fill("#json", JSON.stringify(tampered));
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal("verify");
    await page.keyboard.press("Enter");
    await verdict(false);
    expect(await page.textContent("#verdict")).to.match(/Inte verifierat/);
    expect(await statusOf("integrity")).to.equal("failed");
    expect(await statusOf("signature")).to.equal("skipped");
    // Nothing the forged document says is shown as proved, nor in the green style.
    expect(await page.isHidden("#proved-section")).to.equal(true);
    expect(await page.isVisible("#unproved")).to.equal(true);
    expect(await page.textContent("#result")).to.not.include("Mallory");
    expect(await page.textContent("#result")).to.not.include("Region Exempel");
  });

  it("verifies a chosen file", async () => {
    const credential = await fx.issue({ course: true });
    await page.setInputFiles("#file", {
      name: "intyg.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify(credential)),
    });
    await verdict(true);
    expect(await page.textContent("#proved")).to.include("Informationssäkerhet");
  });

  it("switches to English and back", async () => {
    await page.click("#lang");
    await page.waitForFunction(() => document.documentElement.lang === "en");
    expect(await page.textContent("h1")).to.equal("Verify a credential");
    await page.waitForFunction(() =>
      /^✔ Verified/.test(document.querySelector("#verdict")?.textContent ?? ""),
    );
    expect(await page.textContent('#checks li[data-check="issuer"]')).to.include(
      "the key signs for it from the start with no end date",
    );
    await page.click("#lang");
    await page.waitForFunction(() => document.documentElement.lang === "sv");
  });

  it("shows the camera button wherever there is a camera API, with or without BarcodeDetector", async () => {
    const hasCamera = await page.evaluate(() => Boolean(navigator.mediaDevices));
    expect(await page.isHidden("#scan")).to.equal(!hasCamera);
  });

  it("scans a QR code with the camera where BarcodeDetector exists (a fake camera and detector here)", async () => {
    const credential = await fx.issue();
    const link = `https://intyg.example.se/verify#${encodeShareFragment(credential)}`;
    const camera = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: [...CHROMIUM_ARGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"],
    });
    try {
      const scanning = await camera.newPage();
      await scanning.addInitScript((raw) => {
        (window as unknown as { BarcodeDetector: unknown }).BarcodeDetector = class {
          async detect() {
            return [{ rawValue: raw }];
          }
        };
      }, link);
      await scanning.goto(`${base}/verify?lang=en`);
      await scanning.click("#scan");
      await scanning.waitForSelector('#verdict[data-verified="true"]', { timeout: 60_000 });
      expect(await scanning.textContent("#verdict")).to.match(/Verified/);
      expect(await scanning.isHidden("#camera")).to.equal(true);
    } finally {
      await camera.close();
    }
  });

  describe("a share link on a slow network", () => {
    /** Opens a share link in a fresh page on Lighthouse's slow 4G; when each node request and verify.js went. */
    async function openSlowly(blockEarlyScript: boolean) {
      const context = await browser.newContext({ locale: "sv-SE" });
      const slow = await context.newPage();
      const cdp = await context.newCDPSession(slow);
      await cdp.send("Network.enable");
      await cdp.send("Network.emulateNetworkConditions", {
        offline: false,
        latency: 150,
        downloadThroughput: 200_000,
        uploadThroughput: 93_750,
      });
      if (blockEarlyScript)
        await slow.route(/verify-early\.js$/, (route) => route.abort("internetdisconnected"));
      const contextReads: number[] = [];
      let scriptArrived = Number.POSITIVE_INFINITY;
      slow.on("request", (request) => {
        if (request.url().startsWith(fx.rpcUrl) && request.postData()?.includes('"eth_chainId"'))
          contextReads.push(Date.now());
      });
      slow.on("requestfinished", (request) => {
        if (request.url().endsWith("/verify/verify.js")) scriptArrived = Date.now();
      });
      const credential = await fx.issue();
      await slow.goto(`${base}/verify#${encodeShareFragment(credential)}`);
      await slow.waitForSelector('#verdict[data-verified="true"]', { timeout: 60_000 });
      await context.close();
      return { contextReads, scriptArrived };
    }

    it("asks the node for the chain context once, while its main script is still on its way", async () => {
      const { contextReads, scriptArrived } = await openSlowly(false);
      expect(contextReads).to.have.length(1);
      expect(contextReads[0]).to.be.below(scriptArrived);
    });

    it("verifies without its first script, asking for the context itself", async () => {
      const { contextReads, scriptArrived } = await openSlowly(true);
      expect(contextReads).to.have.length(1);
      expect(contextReads[0]).to.be.above(scriptArrived);
    });
  });

  it("sends nothing but chain reads off the page", async () => {
    const offPage = requests.filter((url) => !url.startsWith(base));
    expect(offPage.length).to.be.greaterThan(0);
    for (const url of offPage) expect(url.startsWith(fx.rpcUrl), url).to.equal(true);
  });

  it("is served with a policy that refuses inline scripts and reads from any other origin", async () => {
    const other = await browser.newPage();
    await other.goto(`${base}/verify`);
    // The browser reports a violation on the console after the refused script or read, not before evaluate ends.
    const violation = other.waitForEvent("console", {
      predicate: (m) => /Content Security Policy/i.test(m.text()),
      timeout: 60_000,
    });
    const blocked = await other.evaluate(async () => {
      const inline = document.createElement("script");
      inline.textContent = "window.__inline = true";
      document.body.append(inline);
      const fetched = await fetch("http://127.0.0.2:9/").then(
        () => "sent",
        () => "refused",
      );
      return { inline: (window as unknown as { __inline?: boolean }).__inline === true, fetched };
    });
    expect(blocked).to.deep.equal({ inline: false, fetched: "refused" });
    expect((await violation).text()).to.match(/Content Security Policy/i);
    await other.close();
  });

  describe("links that try to choose what the page trusts", () => {
    let rogue: Fixture;
    before(async () => {
      rogue = await createFixture({ chain: fx.chain, accounts: { governor: 4, admin: 5, signer: 4 } });
    });
    after(async () => {
      await rogue?.stop();
    });

    it("a forgery anchored in the attacker's own registry does not verify with ?registry= pointing there", async () => {
      const forged = await rogue.issue();
      const other = await browser.newPage();
      for (const query of [
        `?registry=${rogue.registry}`,
        `?rpc=${encodeURIComponent(fx.rpcUrl)}&registry=${rogue.registry}&chainId=${fx.chainId}`,
      ]) {
        await other.goto(`${base}/verify${query}#${encodeShareFragment(forged)}`);
        await other.waitForSelector('#verdict[data-verified="false"]', { timeout: 60_000 });
        expect(await other.isVisible("#ignored"), query).to.equal(true);
        expect(await other.getAttribute('#checks li[data-check="anchor"]', "data-status")).to.equal("failed");
        expect(await other.isHidden("#proved-section")).to.equal(true);
        expect(await other.textContent("#trust"))
          .to.include(fx.registry)
          .and.not.include(rogue.registry);
      }
      await other.close();
    });

    it("the verdict of a genuine credential does not change with ?rpc=, ?registry= or ?chainId=, and no other node is asked", async () => {
      const credential = await fx.issue();
      const other = await browser.newPage();
      const asked: string[] = [];
      other.on("request", (r) => asked.push(r.url()));
      const query = `?rpc=${encodeURIComponent("http://127.0.0.2:9/")}&registry=${rogue.registry}&chainId=1&lang=en`;
      await other.goto(`${base}/verify${query}#${encodeShareFragment(credential)}`);
      await other.waitForSelector('#verdict[data-verified="true"]', { timeout: 60_000 });
      expect(await other.isVisible("#ignored")).to.equal(true);
      expect(await other.textContent("#config"))
        .to.include(fx.registry)
        .and.include(`chain ${fx.chainId}`);
      expect(asked.filter((url) => url.startsWith("http://127.0.0.2"))).to.deep.equal([]);
      await other.close();
    });

    it("the unconfigured static page given ?rpc=&registry= verifies nothing", async () => {
      const credential = await fx.issue();
      const other = await browser.newPage({ locale: "sv-SE" });
      await other.goto(
        `${base}/?rpc=${encodeURIComponent(fx.rpcUrl)}&registry=${fx.registry}#${encodeShareFragment(credential)}`,
      );
      await other.waitForSelector('#verdict[data-verified="false"]', { timeout: 60_000 });
      expect(await other.textContent("#config")).to.match(/Ingen kedja är konfigurerad/);
      await other.close();
    });
  });

  describe("the verdict for a person, on any device", () => {
    const fields = (p: Page) =>
      p.$$eval("#proved dd", (dds) =>
        Object.fromEntries(dds.map((dd) => [(dd as HTMLElement).dataset.field, dd.textContent])),
      );

    it("says in one sentence what a verified credential proves, with labelled claims and no raw keys", async () => {
      const credential = await fx.issue({
        subject: {
          name: "Åsa Öberg",
          role: "hackathon-team-member",
          team: "Datadrivna",
          partsAttended: ["networking", "hackathon"],
        },
      });
      const other = await browser.newPage();
      await other.goto(`${base}/verify?lang=sv#${encodeShareFragment(credential)}`);
      await other.waitForSelector('#verdict[data-verified="true"]', { timeout: 60_000 });
      expect(await other.textContent("#sentence")).to.equal(
        "Åsa Öberg deltog i Offentliga Rummet 2026, 12–14 maj 2026, Göteborg: Nätverksdag (12 maj 2026) och Hackathon: tillförlitliga data i vård och skola (lag Datadrivna). Utfärdat av Region Exempel, org.nr 232100-0016.",
      );
      expect(await fields(other)).to.include({ role: "medlem i ett hackathonlag", kind: "Närvaro" });
      const shown = `${await other.textContent("#proved-section")} ${await other.textContent("#checks")}`;
      expect(shown).to.not.match(/partsAttended|credentialSubject|hackathon-team-member|\d{4}-\d{2}-\d{2}T/);
      // Codes and keys stay behind the experts' disclosure.
      expect(await other.isVisible("#tech")).to.equal(false);
      await other.close();
    });

    it("a course: hours, credits as 1,5 hp, outcomes", async () => {
      const credential = await fx.issue({ course: true, subject: { name: "Bo Ek" } });
      const other = await browser.newPage();
      await other.goto(`${base}/verify?lang=sv#${encodeShareFragment(credential)}`);
      await other.waitForSelector('#verdict[data-verified="true"]', { timeout: 60_000 });
      expect(await other.textContent("#sentence")).to.match(
        /^Bo Ek har genomgått kursen Informationssäkerhet för förtroendevalda \(8 timmar, 1,5 hp\)/,
      );
      expect(await fields(other)).to.include({ credits: "1,5 hp", hours: "8 timmar" });
      await other.close();
    });

    it("follows the browser's language, remembers a choice, and keeps ?lang=", async () => {
      const credential = await fx.issue();
      const english = await browser.newContext({ locale: "en-US" });
      const p = await english.newPage();
      await p.goto(`${base}/verify#${encodeShareFragment(credential)}`);
      await p.waitForSelector('#verdict[data-verified="true"]', { timeout: 60_000 });
      expect(await p.getAttribute("html", "lang")).to.equal("en");
      expect(await p.textContent("#verdict")).to.match(/Verified/);
      await p.click("#lang");
      await p.waitForFunction(() => document.documentElement.lang === "sv");
      await p.goto(`${base}/verify`);
      expect(await p.getAttribute("html", "lang")).to.equal("sv");
      await p.goto(`${base}/verify?lang=en`);
      expect(await p.getAttribute("html", "lang")).to.equal("en");
      await english.close();
      const swedish = await browser.newContext({ locale: "sv-SE" });
      const q = await swedish.newPage();
      await q.goto(`${base}/verify`);
      expect(await q.getAttribute("html", "lang")).to.equal("sv");
      await swedish.close();
    });

    for (const width of [320, 390]) {
      it(`has no horizontal scroll at ${width} px, verified and tampered`, async () => {
        const credential = await fx.issue();
        const phone = await browser.newContext({ viewport: { width, height: 800 }, locale: "sv-SE" });
        const p = await phone.newPage();
        await p.goto(`${base}/verify#${encodeShareFragment(credential)}`);
        await p.waitForSelector('#verdict[data-verified="true"]', { timeout: 60_000 });
        await p.click("#technical summary");
        const overflow = () => p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(await overflow()).to.be.at.most(0);
        const tampered = clone(credential);
        tampered.credentialSubject.name = "Mallory";
        await p.fill("#json", JSON.stringify(tampered));
        await p.click("#verify");
        await p.waitForSelector('#verdict[data-verified="false"]', { timeout: 60_000 });
        expect(await overflow()).to.be.at.most(0);
        await phone.close();
      });
    }

    it("reads a QR code from a picture (no BarcodeDetector needed) and verifies it", async () => {
      const credential = await fx.issue();
      const link = `https://intyg.example.se/verify#${encodeShareFragment(credential)}`;
      const png = await QRCode.toBuffer(link, { errorCorrectionLevel: "L", margin: 4, scale: 4 });
      const other = await browser.newPage();
      await other.goto(`${base}/verify`);
      await other.setInputFiles("#image", { name: "intyg.png", mimeType: "image/png", buffer: png });
      await other.waitForSelector('#verdict[data-verified="true"]', { timeout: 60_000 });
      // A picture without a code says so.
      const blank = Buffer.from(BLANK_PNG, "base64");
      await other.setInputFiles("#image", { name: "blank.png", mimeType: "image/png", buffer: blank });
      await other.waitForFunction(() =>
        /Ingen QR-kod|No QR code/.test(document.querySelector("#verdict")?.textContent ?? ""),
      );
      await other.close();
    });

    it("loads the QR modules only when a reader needs them, from its own origin under the policy", async () => {
      const credential = await fx.issue();
      const other = await browser.newPage();
      const loaded: string[] = [];
      const violations: string[] = [];
      other.on("response", (response) => {
        if (/verify-qr/.test(response.url()))
          loaded.push(
            `${new URL(response.url()).pathname} ${response.status()} ${response.headers()["content-type"]}`,
          );
      });
      other.on("console", (m) => {
        if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
      });
      await other.goto(`${base}/verify#${encodeShareFragment(credential)}`);
      await other.waitForSelector('#verdict[data-verified="true"]', { timeout: 60_000 });
      expect(loaded, "modules loaded for a share link").to.deep.equal([]);
      // Reading a picture brings in the QR reader; a challenge, the QR drawing.
      // Level L, as the service prints a link this long (at the default M, a share link of about 2,300 bytes
      // sometimes did not fit).
      const png = await QRCode.toBuffer(`${base}/verify#${encodeShareFragment(credential)}`, {
        errorCorrectionLevel: "L",
        margin: 4,
      });
      await other.fill("#json", "");
      await other.setInputFiles("#image", { name: "intyg.png", mimeType: "image/png", buffer: png });
      // The link read from the picture is put in the box, then verified.
      await other.waitForFunction(
        () => (document.querySelector("#json") as HTMLTextAreaElement).value !== "",
      );
      await other.waitForSelector('#verdict[data-verified="true"]', { timeout: 60_000 });
      await other.click("#present summary");
      await other.click("#new-challenge");
      await other.waitForSelector("#challenge-box:not([hidden])");
      expect(await other.getAttribute("#challenge-qr", "src")).to.match(/^data:image\/png;base64,/);
      // In whichever order the two answers came.
      expect([...loaded].sort()).to.deep.equal([
        "/verify/verify-qr-image.js 200 text/javascript; charset=utf-8",
        "/verify/verify-qr.js 200 text/javascript; charset=utf-8",
      ]);
      expect(violations).to.deep.equal([]);
      await other.close();
    });

    it("says so when a module it imports on first use cannot be loaded, and keeps the challenge as text", async () => {
      const other = await browser.newPage({ locale: "en-GB" });
      await other.route(/verify-qr(-image)?\.js$/, (route) => route.abort("internetdisconnected"));
      await other.goto(`${base}/verify`);
      const blank = Buffer.from(BLANK_PNG, "base64");
      await other.setInputFiles("#image", { name: "blank.png", mimeType: "image/png", buffer: blank });
      await other.waitForFunction(() =>
        /could not be loaded/.test(document.querySelector("#verdict")?.textContent ?? ""),
      );
      await other.click("#present summary");
      await other.click("#new-challenge");
      await other.waitForSelector("#challenge-box:not([hidden])");
      expect(await other.textContent("#challenge")).to.match(/^[0-9a-f]{32}$/);
      expect(await other.getAttribute("#challenge-qr", "src")).to.equal(null);
      await other.close();
    });

    it("scans a QR code with a camera where there is no BarcodeDetector (a fake camera showing the code)", async () => {
      const credential = await fx.issue();
      const link = `https://intyg.example.se/verify#${encodeShareFragment(credential)}`;
      const video = path.join(mkdtempSync(path.join(tmpdir(), "intyg-camera-")), "qr.y4m");
      writeFileSync(video, qrVideo(link));
      const camera = await chromium.launch({
        executablePath: "/usr/bin/chromium",
        args: [
          ...CHROMIUM_ARGS,
          "--use-fake-device-for-media-stream",
          "--use-fake-ui-for-media-stream",
          `--use-file-for-fake-video-capture=${video}`,
        ],
      });
      try {
        const scanning = await camera.newPage();
        await scanning.addInitScript(() => {
          delete (window as unknown as { BarcodeDetector?: unknown }).BarcodeDetector;
        });
        await scanning.goto(`${base}/verify?lang=en`);
        await scanning.click("#scan");
        await scanning.waitForSelector('#verdict[data-verified="true"]', { timeout: 60_000 });
        expect(await scanning.isHidden("#camera")).to.equal(true);
      } finally {
        await camera.close();
      }
    });

    it("verifies ten files at once in a table, one detail view per row", async () => {
      const batch = await fx.issueBatch(9);
      const tampered = clone(batch[0]!);
      tampered.credentialSubject.name = "Mallory";
      const files = [...batch, tampered].map((credential, i) => ({
        name: `intyg-${i + 1}.json`,
        mimeType: "application/json",
        buffer: Buffer.from(JSON.stringify(credential)),
      }));
      const other = await browser.newPage();
      await other.goto(`${base}/verify?lang=sv`);
      await other.setInputFiles("#file", files);
      await other.waitForSelector("#batch:not([hidden])", { timeout: 60_000 });
      expect(await other.locator("#batch-rows tr").count()).to.equal(10);
      expect(await other.locator('#batch-rows tr[data-verified="true"]').count()).to.equal(9);
      expect(await other.textContent("#batch-summary")).to.equal("9 av 10 verifierade.");
      expect(await other.textContent("#batch")).to.not.include("Mallory");
      await other.click("#batch-rows tr:nth-child(2) button");
      await other.waitForSelector('#verdict[data-verified="true"]');
      expect(await other.textContent("#sentence")).to.match(/^Deltagare 2 deltog i/);
      await other.click("#back");
      expect(await other.isVisible("#batch")).to.equal(true);
      await other.close();
    });

    it("checks a presentation against a challenge the page created, and refuses a replayed one", async () => {
      const holder = account(3);
      const credential = await fx.issue({
        subject: { id: holderDid(fx.chainId, holder.address), name: "Anna" },
      });
      const other = await browser.newPage({ locale: "en-GB" });
      await other.goto(`${base}/verify`);
      await other.click("#present summary");
      await other.click("#new-challenge");
      await other.waitForSelector("#challenge-box:not([hidden])");
      const challenge = (await other.textContent("#challenge")) ?? "";
      const domain = (await other.textContent("#domain")) ?? "";
      expect(challenge).to.match(/^[0-9a-f]{32}$/);
      expect(await other.getAttribute("#challenge-qr", "src")).to.match(/^data:image\/png;base64,/);
      const presentation = await createPresentation({ credential, account: holder, challenge, domain });
      await other.fill("#json", JSON.stringify(presentation));
      await other.click("#verify");
      await other.waitForSelector('#verdict[data-verified="true"]', { timeout: 60_000 });
      expect(await other.getAttribute('#checks li[data-check="holder"]', "data-status")).to.equal("passed");
      // A new challenge: the same presentation is a replay now.
      await other.click("#new-challenge");
      await other.click("#verify");
      await other.waitForSelector('#verdict[data-verified="false"]', { timeout: 60_000 });
      expect(await other.getAttribute('#checks li[data-check="holder"]', "data-status")).to.equal("failed");
      await other.close();
    });

    it("has no accessibility violations (axe-core, WCAG 2.2 AA), verified and as a table", async () => {
      const credential = await fx.issue();
      const context = await browser.newContext({ bypassCSP: true });
      const p = await context.newPage();
      const audit = async () => {
        await p.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
        return p.evaluate(async () => {
          const axe = (
            window as unknown as {
              axe: {
                run(o: unknown): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }>;
              };
            }
          ).axe;
          const result = await axe.run({
            runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
          });
          return result.violations.map((v) => `${v.id} (${v.impact}, ${v.nodes.length})`);
        });
      };
      await p.goto(`${base}/verify#${encodeShareFragment(credential)}`);
      await p.waitForSelector('#verdict[data-verified="true"]', { timeout: 60_000 });
      await p.click("#technical summary");
      expect(await audit()).to.deep.equal([]);
      await p.setInputFiles(
        "#file",
        [credential, credential].map((c, i) => ({
          name: `${i}.json`,
          mimeType: "application/json",
          buffer: Buffer.from(JSON.stringify(c)),
        })),
      );
      await p.waitForSelector("#batch:not([hidden])", { timeout: 60_000 });
      expect(await audit()).to.deep.equal([]);
      await context.close();
    });
  });
});

/** A 1×1 white PNG: a picture without a QR code. */
const BLANK_PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==";

/**
 * A Y4M video (what Chromium's fake camera plays) of one QR code, white around it: 4:2:0, grey chroma, a few
 * frames of the same picture.
 */
function qrVideo(text: string): Buffer {
  const qr = QRCode.create(text, { errorCorrectionLevel: "L" });
  const size = qr.modules.size;
  const scale = 4;
  const margin = 4 * scale;
  const side = size * scale + 2 * margin;
  const width = side + (side % 2);
  const height = width;
  const luma = Buffer.alloc(width * height, 235);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++)
      if (qr.modules.get(y, x))
        for (let dy = 0; dy < scale; dy++)
          luma.fill(
            16,
            (margin + y * scale + dy) * width + margin + x * scale,
            (margin + y * scale + dy) * width + margin + (x + 1) * scale,
          );
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), luma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  return Buffer.concat([header, ...Array.from({ length: 10 }, () => frame)]);
}
