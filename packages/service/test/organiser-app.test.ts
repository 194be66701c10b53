// The organiser app end to end, as a coordinator who has never used a terminal would use it, in headless
// Chromium against the real service, database and chain: sign in with an API key, create a conference with four
// parts, import an Excel file (written with exceljs) of 200 Swedish attendees with one bad row, see the row with
// its line and reason, leave it out, then fix the file and choose it again, issue, watch this import's progress
// until every credential is anchored, search, revoke with a confirmation, re-issue a corrected name (the other
// claims kept), erase, export. axe-core on every view; the key never in the page, its storage or a URL.

import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DEV_PRIVATE_KEYS, DEV_ROLES } from "@intyg/devchain";
import { expect } from "chai";
import ExcelJS from "exceljs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { type Address, createPublicClient, createWalletClient, type Hex, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type LiveApp, launchChromium, serveApp } from "./helpers/browser";
import { type AppHarness, createAppHarness, eventually, expectJson } from "./helpers/harness";

const FIRST = [
  "Anna",
  "Erik",
  "Maria",
  "Lars",
  "Karin",
  "Johan",
  "Eva",
  "Anders",
  "Sara",
  "Per",
  "Åsa",
  "Örjan",
  "Märta",
  "Björn",
  "Linnéa",
  "Göran",
  "Ingrid",
  "Mats",
  "Sofia",
  "Nils",
];
const LAST = [
  "Andersson",
  "Johansson",
  "Karlsson",
  "Nilsson",
  "Eriksson",
  "Larsson",
  "Olsson",
  "Persson",
  "Svensson",
  "Gustafsson",
];
const ORGS = ["Göteborgs Stad", "Region Skåne", "Malmö stad", "Umeå kommun", "Skatteverket"];
const ROLES = ["deltagare", "talare", "deltagare", "deltagare", "arrangör"];
const PARTS = [
  { name: "Nätverksdag", kind: "networking", date: "2026-09-14" },
  { name: "Seminariedag 1", kind: "seminar", date: "2026-09-15" },
  { name: "Seminariedag 2", kind: "seminar", date: "2026-09-16" },
  { name: "Hackathon", kind: "hackathon", date: "2026-09-17" },
];
const CONFERENCE = "Digitaliseringsveckan 2026";
/** The line of the bad row in the sheet (1 is the header row). */
const BAD_LINE = 58;

type Attendee = {
  name: string;
  email: string;
  organisation: string;
  role: string;
  parts: string;
  reference: string;
};

function attendees(): Attendee[] {
  const out: Attendee[] = [];
  for (const [i, first] of FIRST.entries()) {
    for (const [j, last] of LAST.entries()) {
      const n = i * LAST.length + j;
      const ascii = `${first}.${last}`
        .normalize("NFKD")
        .replace(/[\u0300-\u036f]/g, "")
        .toLowerCase();
      out.push({
        name: `${first} ${last}`,
        email: `${ascii}${n}@example.se`,
        organisation: ORGS[n % ORGS.length]!,
        role: ROLES[n % ROLES.length]!,
        parts: n % 3 === 0 ? "Nätverksdag, Hackathon" : "Seminariedag 1, Seminariedag 2",
        reference: `DV-${String(n + 1).padStart(4, "0")}`,
      });
    }
  }
  return out;
}

/** An .xlsx as an organiser's spreadsheet program writes it, with a column the service does not know. */
async function workbook(rows: Attendee[], file: string): Promise<string> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet("Anmälda");
  sheet.addRow(["Namn", "E-post", "Organisation", "Roll", "Delar", "Referens", "Specialkost"]);
  for (const [i, row] of rows.entries()) {
    sheet.addRow([
      row.name,
      row.email,
      row.organisation,
      row.role,
      row.parts,
      row.reference,
      i % 7 === 0 ? "Vegetarisk" : "",
    ]);
  }
  await book.xlsx.writeFile(file);
  return file;
}

/** With INTYG_DOCS_DIR set, the README's screenshots are written there. */
async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.INTYG_DOCS_DIR;
  if (dir) writeFileSync(path.join(dir, name), await page.screenshot({ fullPage: true }));
}

async function axe(page: Page, label: string): Promise<void> {
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  const violations = await page.evaluate(async () => {
    const result = await (
      window as unknown as {
        axe: {
          run(): Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }>;
        };
      }
    ).axe.run();
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => n.target),
    }));
  });
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious, `${label}: ${JSON.stringify(serious)}`).to.deep.equal([]);
}

describe("the organiser app in Chromium: sign in, conference, spreadsheet import, progress, search, revoke, re-issue, erase, export", function () {
  this.timeout(300_000);
  let h: AppHarness;
  let live: LiveApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let eventId: string;
  const urls: string[] = [];
  const rows = attendees();
  const dir = tmpdir();

  const ready = () => page.waitForSelector("body[data-ready=true]");
  /** Types a search and waits for the list to show `n` rows, one of them with `seen` in it. */
  const search = async (q: string, n: number, seen: string) => {
    await page.fill("#search-q", q);
    await page.waitForFunction(
      ([n, seen]) => {
        const rows = Array.from(document.querySelectorAll("#attendees tbody tr"));
        return rows.length === n && rows.some((row) => row.textContent?.includes(seen as string));
      },
      [n, seen] as const,
    );
  };
  // Before a navigation the page is marked as leaving, so that waiting for it to be ready waits for the view
  // navigated to, not the one still shown (the hashchange that starts the route comes a task later).
  const go = async (hash: string) => {
    await page.evaluate((h) => {
      if (location.hash !== h) document.body.dataset.ready = "leaving";
      location.hash = h;
    }, hash);
    await ready();
  };
  /** Follows a link to another view, and waits for that view. */
  const follow = async (selector: string) => {
    await page.evaluate((link) => {
      if (document.querySelector(link)?.getAttribute("href") !== location.hash)
        document.body.dataset.ready = "leaving";
    }, selector);
    await page.click(selector);
    await ready();
  };

  before(async () => {
    h = await createAppHarness("pglite");
    live = await serveApp(h);
    browser = await launchChromium();
    // axe-core is injected as an inline script; the page's own policy is checked on its response.
    context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: "sv-SE",
      bypassCSP: true,
    });
    page = await context.newPage();
    page.on("request", (request) => urls.push(request.url()));
  });
  after(async () => {
    await context?.close();
    await browser?.close();
    await live?.close();
    await h?.close();
  });

  it("signs in with the API key; the key is then nowhere in the page, its storage, cookies readable by script, or a URL", async () => {
    const response = await page.goto(`${live.base}/organiser`);
    expect(response!.headers()["content-security-policy"]).to.contain("script-src 'self'");
    expect(response!.headers()["content-security-policy"]).to.not.contain("unsafe-inline");
    await ready();
    expect(await page.getAttribute("html", "lang")).to.equal("sv");
    await page.waitForSelector("#signin:not([hidden])");
    await axe(page, "sign-in (sv)");
    await screenshot(page, "organiser-signin-sv-1280.png");
    await page.fill("#api-key", "intyg_fel-nyckel-som-inte-finns-0000000000");
    await page.click("#signin-form button[type=submit]");
    await page.waitForSelector("#signin-error .problem");
    expect(await page.textContent("#signin-error")).to.contain("okänd");
    await page.fill("#api-key", h.apiKey);
    await page.click("#signin-form button[type=submit]");
    await page.waitForSelector("#app:not([hidden]) h1");
    await ready();
    expect(await page.textContent("#view h1")).to.equal("Konferenser och kurser");
    expect(await page.textContent("#org-name")).to.equal(h.organisation.name);
    const traces = await page.evaluate(() => ({
      html: document.documentElement.outerHTML,
      local: JSON.stringify({ ...localStorage }),
      session: JSON.stringify({ ...sessionStorage }),
      cookies: document.cookie,
      url: location.href,
      input: (document.getElementById("api-key") as HTMLInputElement).value,
    }));
    for (const [where, text] of Object.entries(traces)) expect(text, where).to.not.contain(h.apiKey);
    for (const url of urls) expect(url).to.not.contain(h.apiKey);
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === "intyg_organiser")!;
    expect(session.httpOnly).to.equal(true);
    expect(session.sameSite).to.equal("Strict");
    expect(session.value).to.not.contain(h.apiKey);
  });

  it("creates a conference with four parts", async () => {
    await page.click("a[href='#/new/event']");
    await ready();
    await page.fill("#f-name", CONFERENCE);
    await page.fill("#f-description", "Stadens digitaliseringsvecka: nätverk, seminarier och hackathon");
    await page.fill("#f-start", "2026-09-14");
    await page.fill("#f-end", "2026-09-17");
    await page.fill("#f-location", "Kongresshallen, Göteborg");
    for (const [i, part] of PARTS.entries()) {
      await page.click("#add-part");
      await page.fill(`#f-part-name-${i + 1}`, part.name);
      await page.selectOption(`#f-part-kind-${i + 1}`, part.kind);
      await page.fill(`#f-part-date-${i + 1}`, part.date);
    }
    await axe(page, "new conference form");
    await screenshot(page, "organiser-conference-form-sv-1280.png");
    await page.click("#view form button[type=submit]");
    await page.waitForFunction(() => /#\/events\/[0-9a-f-]{36}$/.test(location.hash));
    await ready();
    eventId = (await page.evaluate(() => location.hash)).split("/")[2]!;
    expect(await page.textContent("#view h1")).to.equal(CONFERENCE);
    const event = await expectJson<{ status: string; details: { parts: { id: string; name: string }[] } }>(
      await h.call("GET", `/v1/events/${eventId}`),
      200,
    );
    expect(event.status).to.equal("registered");
    expect(event.details.parts.map((p) => p.name)).to.deep.equal(PARTS.map((p) => p.name));
  });

  it("imports an .xlsx of 200 attendees with a bad row: the line and reason are shown, nothing is issued until it is left out or fixed", async () => {
    const bad = rows.map((row, i) =>
      i === BAD_LINE - 2 ? { ...row, email: "karin.larsson-at-example.se" } : row,
    );
    const badFile = await workbook(bad, path.join(dir, "anmalda-fel.xlsx"));
    const goodFile = await workbook(rows, path.join(dir, "anmalda.xlsx"));
    await page.click(`a[href='#/events/${eventId}/import']`);
    await ready();
    await page.setInputFiles("#import-file", badFile);
    await page.waitForSelector("#import-summary");
    expect(await page.textContent("#import-summary")).to.contain("200 rader");
    // One row has a problem; the unknown column is listed below, not counted as a row.
    expect(await page.textContent("#import-summary")).to.contain("1 har problem");
    // Every known column is suggested from its header; the unknown one waits for a choice and holds up the file.
    const mapping = () =>
      page.$$eval("#import-preview select", (selects) => selects.map((s) => (s as HTMLSelectElement).value));
    expect(await mapping()).to.deep.equal([
      "name",
      "email",
      "organisation",
      "role",
      "parts",
      "reference",
      "?",
    ]);
    let errors = (await page.textContent("#row-errors")) ?? "";
    expect(errors).to.contain("Specialkost");
    expect(errors).to.contain(String(BAD_LINE));
    expect(errors).to.contain("E-post");
    expect(await page.isDisabled("#issue")).to.equal(true);
    expect((await page.textContent("#preview-rows tbody")) ?? "").to.contain("Anna Andersson");
    await axe(page, "import with a bad row");
    await screenshot(page, "organiser-import-sv-1280.png");

    await page.selectOption("#map-6", "");
    await page.waitForFunction(
      () => !document.getElementById("row-errors")?.textContent?.includes("Specialkost"),
    );
    expect(await mapping()).to.deep.equal([
      "name",
      "email",
      "organisation",
      "role",
      "parts",
      "reference",
      "",
    ]);
    errors = (await page.textContent("#row-errors")) ?? "";
    expect(errors).to.contain(String(BAD_LINE));
    expect(await page.isDisabled("#issue")).to.equal(true);
    await page.check(`#exclude-${BAD_LINE}`);
    await page.waitForFunction(() => !(document.getElementById("issue") as HTMLButtonElement).disabled);
    expect(await page.textContent("#issue")).to.contain("199");

    // Fixed in the spreadsheet program and chosen again: every row can be issued.
    await page.setInputFiles("#import-file", goodFile);
    await page.waitForFunction(() => document.getElementById("issue")?.textContent?.includes("200"));
    expect(await page.isDisabled("#issue"), (await page.textContent("#import-preview")) ?? "").to.equal(
      false,
    );
    expect(await page.$("#row-errors")).to.equal(null);
    await page.uncheck("#send");
  });

  it("issues and shows this import's progress until every credential is anchored", async () => {
    await page.click("#issue");
    await page.waitForSelector("#progress-label");
    await page.waitForSelector("body[data-progress=done]", { timeout: 120_000 });
    expect(await page.textContent("#progress-done")).to.contain("alla 200 intyg är förankrade");
    expect(await page.getAttribute("#anchor-progress", "value")).to.equal("200");
    await axe(page, "progress");
    await screenshot(page, "organiser-progress-sv-1280.png");
  });

  it("searches the attendee list by name, e-mail and reference", async () => {
    await go(`#/events/${eventId}`);
    await page.waitForSelector("#attendees tbody tr");
    await search("Linnéa", 10, "Linnéa Andersson");
    await screenshot(page, "organiser-attendees-sv-1280.png");
    await search("dv-0042", 1, rows[41]!.name);
    await search(rows[7]!.email.toUpperCase(), 1, rows[7]!.name);
    await axe(page, "attendee list");
  });

  async function openPerson(reference: string): Promise<string> {
    await go(`#/events/${eventId}`);
    await search(reference, 1, reference);
    await page.click("#attendees tbody a");
    await page.waitForSelector("#person-actions");
    await ready();
    return (await page.evaluate(() => location.hash)).split("/")[2]!;
  }

  it("revokes a credential: the dialog names the person, asks for a reason, and nothing happens without confirming", async () => {
    const person = rows[41]!;
    const id = await openPerson(person.reference);
    expect(await page.textContent("#person-status")).to.equal("Giltigt");
    await page.click("#revoke");
    await page.waitForSelector("#revoke-dialog[open]");
    expect(await page.textContent("#revoke-dialog h2")).to.contain(person.name);
    await axe(page, "revoke dialog");
    await screenshot(page, "organiser-revoke-sv-1280.png");
    await page.click("#revoke-dialog button[value=cancel]");
    const untouched = await expectJson<{ revocation: unknown }>(
      await h.call("GET", `/v1/credentials/${id}`),
      200,
    );
    expect(untouched.revocation).to.equal(null);
    await page.click("#revoke");
    await page.selectOption("#revoke-reason", "withdrawn");
    await page.click("#revoke-dialog button[value=confirm]");
    await page.waitForSelector("#person-status:text('Återkallat')");
    const revoked = await expectJson<{ revocation: { reason: string } }>(
      await h.call("GET", `/v1/credentials/${id}`),
      200,
    );
    expect(revoked.revocation.reason).to.equal("withdrawn");
  });

  it("re-issues a corrected name: the preview shows the change, and the new credential keeps every other claim", async () => {
    const person = rows[12]!;
    const id = await openPerson(person.reference);
    const before = await expectJson<{ credential: { credentialSubject: Record<string, unknown> } }>(
      await h.call("GET", `/v1/credentials/${id}`),
      200,
    );
    await page.click("#reissue");
    await page.waitForSelector("#r-name");
    await ready();
    expect(await page.inputValue("#r-name")).to.equal(person.name);
    expect(await page.inputValue("#r-email")).to.equal(person.email);
    await page.fill("#r-name", "Anna-Karin Nilsson Öberg");
    await page.click("#view form button[type=submit]");
    await page.waitForSelector("#reissue-confirm");
    const changed = await page.$$eval("#reissue-preview tr.changed th", (cells) =>
      cells.map((c) => c.textContent),
    );
    expect(changed).to.deep.equal(["Namn"]);
    await axe(page, "re-issue preview");
    await screenshot(page, "organiser-reissue-sv-1280.png");
    await page.click("#reissue-confirm");
    await page.waitForFunction((old) => !location.hash.includes(old), id);
    await page.waitForSelector("#person-actions");
    expect(await page.textContent("#view h1")).to.equal("Anna-Karin Nilsson Öberg");
    const newId = (await page.evaluate(() => location.hash)).split("/")[2]!;
    const after = await expectJson<{ credential: { credentialSubject: Record<string, unknown> } }>(
      await h.call("GET", `/v1/credentials/${newId}`),
      200,
    );
    // Every claim but the name is kept; the holder identifier is derived afresh from the new credential's salts.
    const { name: _a, identifier: oldIdentifier, ...kept } = before.credential.credentialSubject;
    const { name, identifier, ...rest } = after.credential.credentialSubject;
    expect(name).to.equal("Anna-Karin Nilsson Öberg");
    expect(rest).to.deep.equal(kept);
    expect(identifier).to.have.length(1).and.not.deep.equal(oldIdentifier);
    const old = await expectJson<{ supersededBy: string }>(await h.call("GET", `/v1/credentials/${id}`), 200);
    expect(old.supersededBy).to.equal(newId);
  });

  it("erases a person's data after explaining what erasure means", async () => {
    const person = rows[99]!;
    const id = await openPerson(person.reference);
    await page.click("#erase");
    await page.waitForSelector("#erase-dialog[open]");
    const text = (await page.textContent("#erase-dialog")) ?? "";
    expect(text).to.contain(person.name);
    expect(text).to.contain("för alltid");
    await axe(page, "erase dialog");
    await page.click("#erase-dialog button[value=confirm]");
    await page.waitForSelector("#view h1:text('Raderat intyg')");
    const erased = await expectJson<{ erasedAt: string | null }>(
      await h.call("GET", `/v1/credentials/${id}`),
      200,
    );
    expect(erased.erasedAt).to.be.a("string");
  });

  it("exports the list as Excel-friendly CSV with names and holder links, with the session cookie", async () => {
    await go(`#/events/${eventId}`);
    const href = await page.getAttribute("a[href*='export.csv']", "href");
    const response = await context.request.get(`${live.base}${href}`);
    expect(response.status()).to.equal(200);
    const body = await response.body();
    expect([...body.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const csv = body.toString("utf8");
    expect(csv).to.contain(rows[0]!.name);
    expect(csv).to.contain(`${live.base}/holder/`);
    expect(csv).to.not.contain(rows[99]!.email);
  });

  /** Sends a prepared transaction from the organisation's admin account (dev account #1), as its Safe would. */
  async function sendAsAdmin(tx: { to: string; data: string }): Promise<void> {
    const chain = {
      id: h.deployment.chainId,
      name: "local",
      nativeCurrency: { name: "E", symbol: "E", decimals: 18 },
      rpcUrls: { default: { http: [h.deployment.rpcUrl] } },
    } as const;
    const wallet = createWalletClient({
      chain,
      transport: http(h.deployment.rpcUrl),
      account: privateKeyToAccount(DEV_PRIVATE_KEYS[DEV_ROLES.organisationAdmin]),
    });
    const hash = await wallet.sendTransaction({ to: tx.to as Address, data: tx.data as Hex });
    const receipt = await createPublicClient({
      chain,
      transport: http(h.deployment.rpcUrl),
    }).waitForTransactionReceipt({ hash });
    expect(receipt.status).to.equal("success");
  }

  /** Creates a key in the page; the service does not hold the admin key, so the page offers the Safe batch. */
  async function createKeyInPage(): Promise<{
    address: string;
    batch: { chainId: string; transactions: { to: string; data: string }[] };
  }> {
    await page.click("#create-key");
    await page.waitForSelector("#prepared");
    await ready();
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#safe-batch")]);
    const batch = JSON.parse(readFileSync((await download.path())!, "utf8"));
    const address = /^intyg-authorise-(0x[0-9a-fA-F]{40})\.json$/.exec(download.suggestedFilename())![1]!;
    return { address, batch };
  }

  const keyRow = (address: string) => `#keys tr[data-key='${address}']`;
  let signedByFirst: string;
  const keys: string[] = [];

  it("a view left before its data arrived does not draw over the one the reader went on to", async () => {
    // The event's data held back: the reader opens the event, then the keys before it has loaded.
    let held = 0;
    await page.route(`**/v1/events/${eventId}**`, async (request) => {
      held++;
      await new Promise((resolve) => setTimeout(resolve, 800));
      await request.continue().catch(() => undefined);
    });
    try {
      await go("#/");
      await page.evaluate((h) => {
        location.hash = h;
      }, `#/events/${eventId}`);
      await page.waitForFunction(() => document.body.dataset.ready === "false");
      await follow("#nav a[data-section=keys]");
      expect(held).to.be.greaterThan(0);
      // After the event's data came in, the keys are still what the page shows, and it says it is ready.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(await page.textContent("#view h1")).to.equal("Signeringsnycklar");
      expect(await page.getAttribute("body", "data-ready")).to.equal("true");
    } finally {
      await page.unroute(`**/v1/events/${eventId}**`);
    }
  });

  it("keys: creates a key whose authorisation the organisation's admin sends (Safe batch and steps in words), makes it current", async () => {
    await follow("#nav a[data-section=keys]");
    expect(await page.textContent("#view h1")).to.equal("Signeringsnycklar");
    expect(await page.getAttribute("#nav a[data-section=keys]", "aria-current")).to.equal("page");
    expect(await page.textContent("#keys-none")).to.contain("signeras med tjänstens nyckel");
    await axe(page, "keys (none yet)");

    const first = await createKeyInPage();
    const prepared = (await page.textContent("#prepared")) ?? "";
    expect(prepared).to.contain("Organisationens administratör måste göra den nya nyckeln behörig");
    expect(prepared).to.contain(first.address);
    expect(prepared).to.contain(`i kedja ${h.deployment.chainId}`);
    expect(prepared).to.contain("Gör aktuell");
    expect(first.batch.chainId).to.equal(String(h.deployment.chainId));
    expect(first.batch.transactions[0]!.to.toLowerCase()).to.equal(h.deployment.registry.toLowerCase());
    expect(await page.textContent(keyRow(first.address))).to.contain("Skapad, ännu inte behörig i kedjan");
    await axe(page, "keys: prepared authorisation");
    await screenshot(page, "organiser-keys-prepared-sv-1280.png");

    await sendAsAdmin(first.batch.transactions[0]!);
    await page.click(`${keyRow(first.address)} button[data-action=current]`);
    await page.waitForSelector(
      `#notice:text("Nyckeln ${first.address} signerar organisationens intyg från och med nu.")`,
    );
    await ready();
    const row = (await page.textContent(keyRow(first.address))) ?? "";
    expect(row).to.contain("Aktiv");
    expect(row).to.contain("aktuell: signerar organisationens intyg");
    expect(row).to.contain("från början, tills vidare");
    expect(row).to.not.contain("1970");
    // The current key is neither retired nor made current again; it can still be declared compromised.
    expect(
      await page.$$eval(`${keyRow(first.address)} button`, (b) =>
        b.map((x) => x.getAttribute("data-action")),
      ),
    ).to.deep.equal(["compromised"]);

    // A credential signed by this key, for the compromise below.
    const bulk = await expectJson<{ credentials: { id: string }[] }>(
      await h.call("POST", `/v1/events/${eventId}/credentials/bulk`, {
        body: { attendees: [{ subject: { name: "Signerad Medförstanyckel" }, reference: "K-1" }] },
        headers: { "idempotency-key": "keys-first" },
      }),
      201,
    );
    signedByFirst = bulk.credentials[0]!.id;
    await eventually(async () => {
      const c = await expectJson<{ state: string }>(
        await h.call("GET", `/v1/credentials/${signedByFirst}`),
        200,
      );
      return c.state === "anchored" ? true : undefined;
    }, 60_000);
    keys.push(first.address);
  });

  it("keys: rotates to a second key, retires the first after a confirmation, then declares it compromised and revokes what it signed", async () => {
    const first = keys[0]!;
    const second = await createKeyInPage();
    await sendAsAdmin(second.batch.transactions[0]!);
    await page.click(`${keyRow(second.address)} button[data-action=current]`);
    await page.waitForSelector(
      `#notice:text("Nyckeln ${second.address} signerar organisationens intyg från och med nu.")`,
    );
    await ready();

    await page.click(`${keyRow(first)} button[data-action=retire]`);
    await page.waitForSelector("#retire-dialog[open]");
    const retireText = (await page.textContent("#retire-dialog")) ?? "";
    expect(retireText).to.contain("kan aldrig signera igen");
    expect(retireText).to.contain("Allt den har signerat förblir giltigt");
    await page.click("#retire-dialog button[value=cancel]");
    expect((await page.textContent(keyRow(first))) ?? "").to.contain("Aktiv");
    await page.click(`${keyRow(first)} button[data-action=retire]`);
    await page.click("#retire-dialog button[value=confirm]");
    await page.waitForSelector(
      `#notice:text("Nyckeln ${first} är avvecklad. Det den har signerat förblir giltigt.")`,
    );
    await ready();
    // The notice can come before the key list is drawn again: wait for the row itself to say it.
    await page.waitForSelector(`${keyRow(first)}:has-text("Avvecklad")`);
    const retired = (await page.textContent(keyRow(first))) ?? "";
    expect(retired).to.contain("Avvecklad");
    expect(retired).to.match(/från början, till \d+ \p{L}+ 20\d\d/u);

    await page.click(`${keyRow(first)} button[data-action=compromised]`);
    await page.waitForSelector("#compromised-dialog[open]");
    const text = (await page.textContent("#compromised-dialog")) ?? "";
    expect(text).to.contain("tas bort i kedjan direkt");
    expect(text).to.contain("går de inte längre att verifiera för någon");
    expect(await page.isChecked("#compromised-revoke")).to.equal(false);
    await axe(page, "key compromised dialog");
    await screenshot(page, "organiser-key-compromised-sv-1280.png");
    await page.fill("#compromised-since", "2026-01-01T00:00");
    await page.check("#compromised-revoke");
    await page.click("#compromised-dialog button[value=confirm]");
    await page.waitForSelector("#notice:text('återkallelse har begärts för 1 av dem')");
    await ready();
    expect(await page.textContent("#notice")).to.contain("Den har signerat 1 intyg sedan 1 januari 2026");
    await page.waitForSelector(`${keyRow(first)}:has-text("Röjd")`);
    expect((await page.textContent(keyRow(first))) ?? "").to.contain("Röjd");
    const revoked = await expectJson<{ revocation: { reason: string } | null }>(
      await h.call("GET", `/v1/credentials/${signedByFirst}`),
      200,
    );
    expect(revoked.revocation?.reason).to.equal("keyCompromise");

    const audit = (await page.textContent("#key-audit")) ?? "";
    for (const words of [
      "Skapad",
      "Gjord behörig i kedjan",
      "Gjord aktuell",
      "Avvecklad",
      "Markerad som röjd",
      "Återkallelser begärda",
    ])
      expect(audit).to.contain(words);
    expect(audit).to.match(/API-nyckel [0-9a-f-]{36}/);
    await axe(page, "keys with log");
    await screenshot(page, "organiser-keys-sv-1280.png");
  });

  it("data protection: the retention in words, changed and reset; the erasure receipts, one opened to print and download", async () => {
    await follow("#nav a[data-section=privacy]");
    expect(await page.textContent("#view h1")).to.equal("Dataskydd");
    let now = (await page.textContent("#retention-now")) ?? "";
    expect(now).to.contain("Personuppgifter sparas i 365 dagar efter att ett evenemang slutat");
    expect(now).to.contain("tjänstens standardvärde");
    await page.fill("#retention-days", "30");
    await page.click("#retention-save");
    await page.waitForSelector("#notice:text('Sparat: personuppgifter sparas i 30 dagar')");
    now = (await page.textContent("#retention-now")) ?? "";
    expect(now).to.contain("sparas i 30 dagar");
    expect(now).to.contain("Er organisation har valt det");
    expect(await expectJson(await h.call("GET", "/v1/organisation/retention"), 200)).to.include({ days: 30 });
    await page.click("#retention-reset");
    await page.waitForSelector("#notice:text('Sparat: personuppgifter sparas i 365 dagar')");
    expect(await expectJson(await h.call("GET", "/v1/organisation/retention"), 200)).to.include({
      default: true,
    });

    // The person erased above: one receipt, without their name.
    const erased = rows[99]!;
    const list = (await page.textContent("#receipts")) ?? "";
    expect(list).to.contain("På begäran (GDPR art. 17)");
    expect(list).to.not.contain(erased.name);
    expect(await page.$$("#receipts tbody tr")).to.have.length(1);
    await axe(page, "data protection");
    await screenshot(page, "organiser-privacy-sv-1280.png");

    await page.click("#receipts tbody a");
    await page.waitForSelector("#receipt");
    await ready();
    expect(await page.textContent("#view h1")).to.equal("Raderingskvitto");
    const receipt = (await page.textContent("#view")) ?? "";
    expect(receipt).to.contain(h.organisation.name);
    expect(receipt).to.contain("Intygets krypteringsnyckel");
    expect(receipt).to.contain("Innehavarens länk");
    expect(receipt).to.not.contain(erased.name);
    expect(receipt).to.not.contain(erased.email);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download-receipt")]);
    const json = JSON.parse(readFileSync((await download.path())!, "utf8")) as {
      id: string;
      destroyed: string[];
    };
    expect(download.suggestedFilename()).to.equal(`raderingskvitto-${json.id}.json`);
    expect(json.destroyed).to.include("data-key");
    expect(receipt).to.contain(json.id);
    await axe(page, "erasure receipt");
    // Printed, the receipt stands alone: no navigation, no buttons.
    await page.emulateMedia({ media: "print" });
    expect(await page.isVisible("#nav")).to.equal(false);
    expect(await page.isVisible("#print-receipt")).to.equal(false);
    expect(await page.isVisible("#receipt")).to.equal(true);
    await screenshot(page, "organiser-receipt-print-sv.png");
    await page.emulateMedia({ media: "screen" });
    await screenshot(page, "organiser-receipt-sv-1280.png");
  });

  it("an issuer key sees no admin actions: the keys page says in words that the service refused, the retention cannot be changed", async () => {
    const { secret } = await h.store.apiKeys.create(h.organisation.id, "registrering", "issuer");
    const issuerContext = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: "sv-SE",
      bypassCSP: true,
    });
    try {
      const other = await issuerContext.newPage();
      await other.goto(`${live.base}/organiser`);
      await other.waitForSelector("#signin:not([hidden])");
      await other.fill("#api-key", secret);
      await other.click("#signin-form button[type=submit]");
      await other.waitForSelector("#app:not([hidden]) h1");
      expect(await other.isVisible("#nav")).to.equal(true);
      expect(await other.isVisible("#nav-keys"), "no keys link for an issuer key").to.equal(false);
      await other.evaluate(() => {
        location.hash = "#/keys";
      });
      await other.waitForSelector("#keys-refused");
      expect(await other.textContent("#keys-refused")).to.contain(
        "Det här kräver en administratörs API-nyckel",
      );
      expect(await other.$$("#view button")).to.have.length(0);
      expect(await other.$("#create-key-form")).to.equal(null);
      await screenshot(other, "organiser-keys-issuer-sv-1280.png");
      // A newer service may tell more about the retention than days and default: shown as it comes.
      await other.route("**/v1/organisation/retention", async (route) => {
        const response = await route.fetch();
        await route.fulfill({ response, json: { ...(await response.json()), appliesFrom: "2026-07-01" } });
      });
      await other.evaluate(() => {
        location.hash = "#/privacy";
      });
      await other.waitForSelector("#retention-now");
      await other.waitForSelector("body[data-ready=true]");
      expect(await other.textContent("#retention-now")).to.contain("365 dagar");
      expect(await other.textContent("#retention-admin-only")).to.contain(
        "Bara en administratörs API-nyckel",
      );
      expect(await other.$("#retention-form")).to.equal(null);
      expect(await other.textContent("#retention-more"))
        .to.contain("appliesFrom")
        .and.contain("2026-07-01");
      expect(await other.$$("#receipts tbody tr")).to.have.length(1);
    } finally {
      await issuerContext.close();
    }
  });

  it("in English on request (remembered), and at a phone's width without horizontal scrolling", async () => {
    await page.goto(`${live.base}/organiser?lang=en#/events/${eventId}`);
    await ready();
    expect(await page.getAttribute("html", "lang")).to.equal("en");
    expect(await page.textContent("#attendees-title")).to.equal("Attendees");
    await axe(page, "conference (en)");
    await search("Örjan", 10, "Örjan Andersson");
    await screenshot(page, "organiser-conference-en-1280.png");
    await page.goto(`${live.base}/organiser#/`);
    await ready();
    expect(await page.textContent("#view h1")).to.equal("Conferences and courses");
    await page.setViewportSize({ width: 390, height: 844 });
    await go(`#/events/${eventId}`);
    await search("Linnéa", 10, "Linnéa Andersson");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(overflow, "no horizontal scrolling at 390 px").to.equal(false);
    await screenshot(page, "organiser-conference-en-390.png");
    await go("#/keys");
    expect(await page.textContent("#view h1")).to.equal("Signing keys");
    expect(await page.textContent("#keys")).to.contain("from the start, no end date");
    const keysOverflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(keysOverflow, "keys: no horizontal scrolling at 390 px").to.equal(false);
    await screenshot(page, "organiser-keys-en-390.png");
    await go(`#/events/${eventId}`);
    await page.click("#lang");
    await ready();
    await search("Märta", 10, "Märta Andersson");
    await screenshot(page, "organiser-conference-sv-390.png");
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("signs out: the cookie no longer opens the API, and the page asks for the key again", async () => {
    await page.click("#signout");
    await page.waitForSelector("#signin:not([hidden])");
    const response = await context.request.get(`${live.base}/v1/events`);
    expect(response.status()).to.equal(401);
    for (const url of urls) expect(url).to.not.contain(h.apiKey);
  });
});
