// The holder's journey end to end, as an attendee and an employer would take it: the holder link, the PDF and
// its printed QR code (rendered by pdftoppm, decoded by zbarimg), opened in headless Chromium, where the
// credential verifies against the real chain and no hidden claim shows on the page or in any response.

import { expect } from "chai";
import type { Browser, Page, Response as PwResponse } from "playwright-core";
import { decodeQr, type LiveApp, launchChromium, pdfPagePng, pdfToText, serveApp } from "./helpers/browser";
import { type AppHarness, CONFERENCE, createAppHarness, expectJson } from "./helpers/harness";

const EMAIL = "lukasz.nguyen@example.se";
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

  before(async () => {
    h = await createAppHarness("pglite", { autoStartWorker: false });
    live = await serveApp(h);
    const event = await expectJson<{ id: string }>(
      await h.call("POST", "/v1/events", { body: { kind: "event", details: CONFERENCE } }),
      201,
    );
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
    const text = await page.locator("body").innerText();
    expect(text).to.contain("Łukasiewicz-Nguyễn");
    expect(text).to.not.contain(EMAIL);
    for (const body of seen.bodies) expect(body).to.not.contain(EMAIL);
    await page.close();
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
});
