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
import { verifyPageHtml, WEB_ASSETS, type WebAssetName, webAssetsDir } from "../src";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

function serve(fx: Fixture): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    if (url.pathname === "/verify") {
      response.writeHead(200, { "content-type": WEB_ASSETS["index.html"] });
      response.end(verifyPageHtml({ rpcUrl: fx.rpcUrl, registry: fx.registry }));
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
    const query = `?rpc=${encodeURIComponent(fx.rpcUrl)}&registry=${fx.registry}`;
    await page.goto(`${base}/${query}#${encodeShareFragment(credential)}`);
    await verdict(true);
    expect(await page.textContent("#verdict")).to.match(/Verifierat/);
    expect(await page.getAttribute("html", "lang")).to.equal("sv");
    expect(await page.locator("#checks li").count()).to.equal(9);
    expect(await statusOf("anchor")).to.equal("passed");
    expect(await statusOf("holder")).to.equal("skipped");
    expect(await page.textContent("#proved")).to.include("Region Exempel");
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
      await scanning.goto(`${base}/?rpc=${encodeURIComponent(fx.rpcUrl)}&registry=${fx.registry}&lang=en`);
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

  it("is also served as one self-contained page with the chain configured (the service's /verify)", async () => {
    const credential = await fx.issue();
    const other = await browser.newPage();
    await other.goto(`${base}/verify#${encodeShareFragment(credential)}`);
    await other.waitForSelector('#verdict[data-verified="true"]', { timeout: 60_000 });
    expect(await other.textContent("#config")).to.include(fx.registry);
    await other.close();
  });
});
