// End to end in headless Chromium: the built page, served from a tiny static server on 127.0.0.1, verifies a
// valid and a tampered credential against a real chain, and sends nothing but chain reads off the page.

import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { encodeShareFragment } from "@intyg/credential";
import { expect } from "chai";
import { type Browser, chromium, type Page } from "playwright-core";
import { clone, createFixture, type Fixture } from "../../verifier/test/fixture";
import { servedVerifyPage, WEB_ASSETS, type WebAssetName, webAssetsDir } from "../src";

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
    page = await browser.newPage();
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
    await page.click("#lang");
    await page.waitForFunction(() => document.documentElement.lang === "sv");
  });

  it("shows the QR button only where the browser can detect barcodes", async () => {
    const hasDetector = await page.evaluate(() => "BarcodeDetector" in window);
    expect(await page.isHidden("#scan")).to.equal(!hasDetector);
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

  it("sends nothing but chain reads off the page", async () => {
    const offPage = requests.filter((url) => !url.startsWith(base));
    expect(offPage.length).to.be.greaterThan(0);
    for (const url of offPage) expect(url.startsWith(fx.rpcUrl), url).to.equal(true);
  });

  it("is served with a policy that refuses inline scripts and reads from any other origin", async () => {
    const other = await browser.newPage();
    const violations: string[] = [];
    other.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await other.goto(`${base}/verify`);
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
    expect(violations.length).to.be.greaterThan(0);
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
      const other = await browser.newPage();
      await other.goto(
        `${base}/?rpc=${encodeURIComponent(fx.rpcUrl)}&registry=${fx.registry}#${encodeShareFragment(credential)}`,
      );
      await other.waitForSelector('#verdict[data-verified="false"]', { timeout: 60_000 });
      expect(await other.textContent("#config")).to.match(/Ingen kedja är konfigurerad/);
      await other.close();
    });
  });
});
