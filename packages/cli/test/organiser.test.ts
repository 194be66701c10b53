// The organiser commands end to end against a real service (in-process, embedded database) on a real chain:
// login → events create → courses create → issue from CSV (a job, polled) → status → revoke → export.

import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseCsv } from "@intyg/credential";
import { type LocalStack, startLocalStack } from "@intyg/stack";
import { expect } from "chai";
import { type Address, createPublicClient, createWalletClient, type Hex, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { intyg } from "./helpers/run";

describe("organiser commands against a real service", function () {
  this.timeout(300_000);
  let stack: LocalStack;
  let home: string;
  let cwd: string;
  let env: Record<string, string>;
  let conference: { id: string; details: { parts: { id: string }[] } };
  let course: { id: string };
  let issued: { id: string; holderUrl: string }[] = [];

  const run = (
    args: string[],
    extra: { env?: Record<string, string | undefined>; secret?: string; answer?: string } = {},
  ) =>
    intyg(args, {
      env: { ...env, ...extra.env },
      cwd,
      ...(extra.secret ? { secret: extra.secret } : {}),
      ...(extra.answer !== undefined ? { answer: extra.answer } : {}),
    });

  /** Credentials of an event, straight from the service's API (not through the CLI). */
  async function credentialsOf(eventId: string): Promise<{ id: string }[]> {
    const response = await fetch(`${stack.serviceUrl}/v1/credentials?eventId=${eventId}&limit=500`, {
      headers: { authorization: `Bearer ${stack.apiKey}` },
    });
    expect(response.status).to.equal(200);
    return ((await response.json()) as { items: { id: string }[] }).items;
  }

  before(async () => {
    // Bulk requests above two attendees become jobs, so the job path is exercised.
    stack = await startLocalStack({ bulkSyncLimit: 2 });
    home = mkdtempSync(path.join(tmpdir(), "intyg-home-"));
    cwd = mkdtempSync(path.join(tmpdir(), "intyg-work-"));
    env = { HOME: home };
  });
  after(async () => {
    await stack?.stop();
  });

  it("refuses commands before login, with a usage error", async () => {
    const result = await run(["events", "list"]);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.match(/Inte inloggad: kör `intyg login/);
    const english = await run(["events", "list", "--lang", "en"]);
    expect(english.stderr).to.match(/Not logged in: run `intyg login/);
  });

  it("logs in: checks the key, stores it with mode 0600; refuses a wrong key", async () => {
    const wrong = await run(["login", "--url", stack.serviceUrl, "--api-key", "x".repeat(40)]);
    expect(wrong.code).to.equal(2);
    expect(wrong.stderr).to.match(/godtog inte API-nyckeln/);

    const prompted = await run(["login", "--url", stack.serviceUrl], { secret: stack.apiKey });
    expect(prompted.code, prompted.stderr).to.equal(0);
    expect(prompted.stdout).to.match(/Inloggad på .* som Offentliga Rummet/);
    const file = path.join(home, ".config", "intyg", "credentials.json");
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).to.equal(0o700);
    expect(JSON.parse(readFileSync(file, "utf8"))).to.deep.equal({
      url: stack.serviceUrl,
      apiKey: stack.apiKey,
    });

    const fromEnv = await run(["login", "--url", stack.serviceUrl, "--lang", "en"], {
      env: { INTYG_API_KEY: stack.apiKey },
    });
    expect(fromEnv.code).to.equal(0);
    expect(fromEnv.stdout).to.match(/^Logged in to/);

    const plainHttp = await run(["login", "--url", "http://intyg.example.se", "--api-key", stack.apiKey]);
    expect(plainHttp.code).to.equal(2);
    expect(plainHttp.stderr).to.match(/använd https/);
  });

  it("creates a conference with parts, a part of it, and a course; lists and shows them", async () => {
    const created = await run([
      "events",
      "create",
      "--name",
      "Offentliga Rummet 2026",
      "--start",
      "2026-05-12",
      "--end",
      "2026-05-14",
      "--place",
      "Svenska Mässan, Göteborg",
      "--part",
      "natverksdag|networking|Nätverksdag|2026-05-12",
      "--part",
      "seminar|Seminariedag 1|2026-05-13",
      "--part",
      "hackathon|Hackathon: tillförlitliga data i vård och skola",
      "--json",
    ]);
    expect(created.code, created.stderr).to.equal(0);
    conference = JSON.parse(created.stdout);
    expect(conference.details.parts.map((p) => p.id)).to.deep.equal([
      "natverksdag",
      "seminariedag-1",
      "hackathon-tillforlitliga-data-i-vard-och-skola",
    ]);

    const child = await run([
      "events",
      "create",
      "--parent",
      conference.id,
      "--name",
      "Hackathon: tillförlitliga data i vård och skola",
      "--start",
      "2026-05-13",
      "--end",
      "2026-05-14",
    ]);
    expect(child.code, child.stderr).to.equal(0);
    expect(child.stdout).to.match(/registrerades i kedjan/);
    expect(child.stdout).to.include(`Del av: ${conference.id}`);

    const createdCourse = await run([
      "courses",
      "create",
      "--name",
      "Informationssäkerhet för förtroendevalda",
      "--hours",
      "16",
      "--credits",
      "7,5",
      "--outcome",
      "Förklara vad personuppgifter är",
      "--outcome",
      "Hantera en incident",
      "--skill",
      "informationssäkerhet",
      "--assessment",
      "Godkänd inlämningsuppgift",
      "--json",
    ]);
    expect(createdCourse.code, createdCourse.stderr).to.equal(0);
    course = JSON.parse(createdCourse.stdout);
    expect((course as unknown as { details: Record<string, unknown> }).details).to.deep.include({
      hours: 16,
      credits: 7.5,
      learningOutcomes: ["Förklara vad personuppgifter är", "Hantera en incident"],
    });

    const list = await run(["events", "list"]);
    expect(list.code).to.equal(0);
    expect(list.stdout.trim().split("\n")).to.have.length(3);
    expect(list.stdout).to.match(/kurs\s+Informationssäkerhet/);
    const courses = await run(["events", "list", "--kind", "course", "--json"]);
    expect(JSON.parse(courses.stdout)).to.have.length(1);

    const show = await run(["events", "show", conference.id]);
    expect(show.code).to.equal(0);
    expect(show.stdout).to.match(/Delevenemang:\n {2}[0-9a-f-]{36} .*Hackathon/);
    expect(show.stdout).to.match(/Intyg: inga/);
  });

  it("sends nothing from a file with a bad row: exit 2, every error by line, no credential created", async () => {
    const bad = path.join(cwd, "fel.csv");
    writeFileSync(
      bad,
      "\ufeffNamn;E-post;Roll;Delar\r\nÅsa Öberg;asa.oberg@example.se;talare;natverksdag\r\n" +
        "Björn Ängström;bjorn.angstrom.example.se;deltagare;\r\n" +
        "Märta Sjöberg;marta@example.se;kung;\r\n" +
        "Göran Håkansson;goran@example.se;;middag\r\n",
    );
    const result = await run(["issue", conference.id, "--csv", bad]);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include("rad 3 (E-post): e-postadressen saknar @");
    expect(result.stderr).to.include('rad 4 (Roll): okänd roll "kung"');
    expect(result.stderr).to.include('rad 5 (Delar): okänd del "middag"');
    expect(result.stderr).to.not.include("bjorn.angstrom");
    expect(result.stderr).to.include("Inget har skickats");
    expect(await credentialsOf(conference.id)).to.deep.equal([]);

    const english = await run(["issue", conference.id, "--csv", bad, "--lang", "en"]);
    expect(english.code).to.equal(2);
    expect(english.stderr).to.include("line 3 (E-post): the e-mail address has no @");
    expect(await credentialsOf(conference.id)).to.deep.equal([]);
  });

  it("checks a good file with --dry-run without issuing", async () => {
    writeFileSync(
      path.join(cwd, "deltagare.csv"),
      "\ufeffNamn;E-post;Organisation;Roll;Delar;Referens\r\n" +
        "Åsa Öberg;asa.oberg@example.se;Göteborgs Stad;talare;natverksdag, seminariedag-1;A1\r\n" +
        '"Ängström; Björn";bjorn@example.se;"Region ""Väst""";deltagare;Seminariedag 1;A2\r\n' +
        "Märta Sjöberg;marta@example.se;Borås Stad;hackathondeltagare;hackathon;A3\r\n" +
        "Örjan Åkesson;orjan@example.se;Region Skåne;;;A4\r\n",
    );
    const result = await run(["issue", conference.id, "--csv", "deltagare.csv", "--dry-run"]);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/Filen är giltig: 4 deltagare/);
    expect(result.stdout).to.match(/Idempotency-Key: intyg-csv-[0-9a-f]{40}/);
    expect(await credentialsOf(conference.id)).to.deep.equal([]);
  });

  it("issues from the CSV as a job, waits for anchoring, and writes a receipt", async () => {
    const result = await run([
      "issue",
      conference.id,
      "--csv",
      "deltagare.csv",
      "--wait",
      "--out",
      "kvitto.csv",
    ]);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/Utfärdade 4 intyg för "Offentliga Rummet 2026"/);
    expect(result.stdout).to.match(/Jobb: [0-9a-f-]{36}/);
    expect(result.stdout).to.match(/Alla intyg är förankrade i kedjan/);
    expect(result.stderr).to.match(/Utfärdat: 4\/4 \(100 %\)/);
    expect(result.stderr).to.match(/Förankras i kedjan: 4\/4 \(100 %\)/);

    const receipt = parseCsv(readFileSync(path.join(cwd, "kvitto.csv")));
    expect(receipt.header!.fields).to.deep.equal([
      "rad",
      "namn",
      "e-post",
      "referens",
      "intyg",
      "läge",
      "innehavarlänk",
    ]);
    expect(receipt.rows.map((r) => r.fields.slice(0, 4))).to.deep.equal([
      ["2", "Åsa Öberg", "asa.oberg@example.se", "A1"],
      ["3", "Ängström; Björn", "bjorn@example.se", "A2"],
      ["4", "Märta Sjöberg", "marta@example.se", "A3"],
      ["5", "Örjan Åkesson", "orjan@example.se", "A4"],
    ]);
    expect(statSync(path.join(cwd, "kvitto.csv")).mode & 0o777).to.equal(0o600);
    issued = receipt.rows.map((r) => ({ id: r.fields[4]!, holderUrl: r.fields[6]! }));
    expect(await credentialsOf(conference.id)).to.have.length(4);
  });

  it("never issues the same file twice: a re-run replays the first result", async () => {
    const again = await run(["issue", conference.id, "--csv", "deltagare.csv", "--json"]);
    expect(again.code, again.stderr).to.equal(0);
    const body = JSON.parse(again.stdout);
    expect(body.replayed).to.equal(true);
    expect(body.result.credentials.map((c: { id: string }) => c.id)).to.deep.equal(issued.map((c) => c.id));
    expect(await credentialsOf(conference.id)).to.have.length(4);
  });

  it("shows a credential's status, and its document verifies on chain", async () => {
    const status = await run(["status", issued[1]!.id]);
    expect(status.code, status.stderr).to.equal(0);
    expect(status.stdout).to.match(/Status: förankrat i kedjan/);
    expect(status.stdout).to.match(/Innehavare: Ängström; Björn/);
    expect(status.stdout).to.match(/Transaktion: 0x[0-9a-f]{64}/);

    const json = JSON.parse((await run(["status", issued[1]!.id, "--json"])).stdout);
    expect(json.credential.credentialSubject.organisation).to.equal('Region "Väst"');
    writeFileSync(path.join(cwd, "intyg.json"), JSON.stringify(json.credential));
    const verified = await run([
      "verify",
      path.join(cwd, "intyg.json"),
      "--rpc",
      stack.rpcUrl,
      "--registry",
      stack.registry,
    ]);
    expect(verified.code, verified.stdout + verified.stderr).to.equal(0);
    // The key's window opens at the registry's start: said in words, not as 1 January 1970.
    expect(verified.stdout).to.include("nyckeln signerar för den från början tills vidare");
    expect(verified.stdout).to.not.include("1970");
  });

  it("revokes with a reason, waits for the chain, and the credential no longer verifies", async () => {
    const bad = await run(["revoke", issued[0]!.id, "--reason", "oops"]);
    expect(bad.code).to.equal(2);
    // No one to ask and no --yes, or the question answered no: nothing is revoked.
    const unasked = await run(["revoke", issued[0]!.id, "--reason", "issuedInError"]);
    expect(unasked.code).to.equal(2);
    expect(unasked.stderr).to.match(/Bekräfta med --yes/);
    const declined = await run(["revoke", issued[0]!.id, "--reason", "issuedInError"], { answer: "n" });
    expect(declined.code).to.equal(2);
    expect(declined.stderr).to.match(/Återkalla intyget för .+ \(/);
    expect(declined.stderr).to.match(/Avbrutet: inget ändrades/);
    expect((await run(["status", issued[0]!.id, "--json"])).stdout).to.include('"standing": "valid"');
    const revoked = await run(["revoke", issued[0]!.id, "--reason", "issuedInError", "--wait"], {
      answer: "ja",
    });
    expect(revoked.code, revoked.stderr).to.equal(0);
    expect(revoked.stdout).to.include(`${issued[0]!.id}: återkallat (issuedInError)`);
    const status = await run(["status", issued[0]!.id, "--lang", "en"]);
    expect(status.stdout).to.match(/Status: revoked \(issuedInError\)/);
    expect(status.stdout).to.match(/Revocation: issuedInError, confirmed/);

    const json = JSON.parse((await run(["status", issued[0]!.id, "--json"])).stdout);
    writeFileSync(path.join(cwd, "aterkallat.json"), JSON.stringify(json.credential));
    const verified = await run([
      "verify",
      path.join(cwd, "aterkallat.json"),
      "--rpc",
      stack.rpcUrl,
      "--registry",
      stack.registry,
    ]);
    expect(verified.code).to.equal(1);
    expect(verified.stdout).to.match(/✖ Inte återkallat/);

    const twice = await run(["revoke", issued[0]!.id, "--reason", "fraud", "--yes"]);
    expect(twice.code).to.equal(2);
    expect(twice.stderr).to.match(/Intyget är redan återkallat \(utfärdat av misstag\)/);

    // The event's counts name the revoked one as revoked (it is still anchored: its document was).
    const show = await run(["events", "show", conference.id, "--lang", "en"]);
    expect(show.code, show.stderr).to.equal(0);
    expect(show.stdout).to.match(/Credentials: 4 \(4 anchored\)/);
    expect(show.stdout).to.match(/Standing: 3 valid, 1 revoked|Standing: 1 revoked, 3 valid/);
  });

  it("exports ids, status and links as CSV and JSON, without names or e-mail addresses", async () => {
    const csv = await run(["export", conference.id]);
    expect(csv.code, csv.stderr).to.equal(0);
    const table = parseCsv(new TextEncoder().encode(csv.stdout));
    expect(table.separator).to.equal(";");
    expect(table.header!.fields.slice(0, 3)).to.deep.equal(["id", "status", "mode"]);
    expect(table.rows).to.have.length(4);
    const byId = new Map(table.rows.map((r) => [r.fields[0], r.fields]));
    expect(byId.get(issued[0]!.id)![1]).to.equal("revoked");
    expect(byId.get(issued[1]!.id)![1]).to.equal("anchored");
    expect(csv.stdout).to.not.match(/example\.se|Öberg/);
    expect(csv.stdout).to.include(issued[1]!.holderUrl);

    const out = await run(["export", conference.id, "--out", "intyg.json"]);
    expect(out.code).to.equal(0);
    const rows = JSON.parse(readFileSync(path.join(cwd, "intyg.json"), "utf8"));
    expect(rows).to.have.length(4);
    expect(rows[0]).to.have.keys([
      "id",
      "status",
      "mode",
      "anchoredAt",
      "txHash",
      "batchRoot",
      "revocationReason",
      "revocationStatus",
      "revokedAt",
      "supersedes",
      "supersededBy",
      "erasedAt",
      "validUntil",
      "holderUrl",
      "pdfUrl",
      "qrUrl",
      "shareUrl",
    ]);
    expect(statSync(path.join(cwd, "intyg.json")).mode & 0o777).to.equal(0o600);
  });

  it("re-issues with corrections after showing the result, keeping the other claims", async () => {
    const declined = await run(["reissue", issued[1]!.id, "--set", "name=Rättad Person"], { answer: "nej" });
    expect(declined.code).to.equal(2);
    expect(declined.stdout).to.match(/Efter rättelsen:\n[\s\S]*name: Rättad Person/);
    // Declined: nothing was issued, the credential still stands.
    expect(JSON.parse((await run(["status", issued[1]!.id, "--json"])).stdout).supersededBy).to.equal(null);
    const before = JSON.parse((await run(["status", issued[1]!.id, "--json"])).stdout).credential
      .credentialSubject;
    const done = await run(
      ["reissue", issued[1]!.id, "--set", "name=Rättad Person", "--unset", "birthDate", "--yes", "--json"],
      {},
    );
    expect(done.code, done.stderr).to.equal(0);
    const created = JSON.parse(done.stdout);
    const subject = created.credential.credentialSubject;
    expect(subject.name).to.equal("Rättad Person");
    expect(subject.organisation).to.equal(before.organisation);
    expect(subject.email).to.equal(before.email);
    expect(subject).to.not.have.property("birthDate");
    expect((await run(["reissue", issued[1]!.id, "--set", "shoe=42", "--yes"])).code).to.equal(2);
  });

  it("erases after explaining what erasure means", async () => {
    const erased = await run(["erase", issued[2]!.id], { answer: "ja" });
    expect(erased.code, erased.stderr).to.equal(0);
    expect(erased.stderr).to.match(/hashvärden finns kvar/);
    expect(erased.stdout).to.match(/raderat/);
    // The receipt, in words: what was destroyed, for the person whose data it was.
    expect(erased.stdout).to.match(/Raderingskvitto: [0-9a-f-]{36}/);
    expect(erased.stdout).to.include(`Intyg: ${issued[2]!.id}`);
    expect(erased.stdout).to.include("på begäran (GDPR art. 17)");
    expect(erased.stdout).to.include("intygets krypteringsnyckel");
    expect(erased.stdout).to.include("innehavarens länk");
    expect(erased.stdout).to.not.include("Märta");
  });

  it("lists erasure receipts and shows one in words, in Swedish and English", async () => {
    const list = await run(["erasures"]);
    expect(list.code, list.stderr).to.equal(0);
    expect(list.stdout).to.include(issued[2]!.id);
    expect(list.stdout).to.include("på begäran (GDPR art. 17)");
    const json = JSON.parse((await run(["erasures", "--json"])).stdout) as {
      id: string;
      destroyed: string[];
    }[];
    expect(json).to.have.length(1);
    expect(json[0]!.destroyed).to.include("data-key");
    const one = await run(["erasures", issued[2]!.id, "--lang", "en"]);
    expect(one.code, one.stderr).to.equal(0);
    expect(one.stdout).to.include(`Erasure receipt: ${json[0]!.id}`);
    expect(one.stdout).to.include("the credential's encryption key");
    expect(one.stdout).to.include("on request (GDPR art. 17)");
    const notAnId = await run(["erasures", "nope"]);
    expect(notAnId.code).to.equal(2);
    expect(notAnId.stderr).to.match(/credentialId: inget id/);
  });

  it("shows and sets how long personal data is kept, in words; refuses a bad number with exit 2", async () => {
    const shown = await run(["retention", "show"]);
    expect(shown.code, shown.stderr).to.equal(0);
    expect(shown.stdout).to.include("Personuppgifter sparas i 365 dagar efter att ett evenemang slutat");
    expect(shown.stdout).to.include("tjänstens standardvärde");
    for (const bad of ["0", "3651", "tre", "1.5"]) {
      const refused = await run(["retention", "set", bad]);
      expect(refused.code, bad).to.equal(2);
      expect(refused.stderr).to.include("ett helt antal dagar från 1 till 3650");
    }
    const set = await run(["retention", "set", "30", "--lang", "en"]);
    expect(set.code, set.stderr).to.equal(0);
    expect(set.stdout).to.include("Personal data is kept for 30 days after an event ends");
    expect(set.stdout).to.include("The organisation chose this");
    expect(JSON.parse((await run(["retention", "show", "--json"])).stdout)).to.include({ days: 30 });
    const back = await run(["retention", "set", "default"]);
    expect(back.stdout).to.include("365 dagar");
  });

  it("creates, lists and revokes API keys", async () => {
    const created = await run(["api-keys", "create", "registrering", "--role", "issuer", "--json"]);
    expect(created.code, created.stderr).to.equal(0);
    const key = JSON.parse(created.stdout);
    expect(key.secret).to.match(/^intyg_/);
    const list = await run(["api-keys", "list"]);
    expect(list.stdout).to.include(key.id).and.include("registrering").and.not.include(key.secret);
    const revoked = await run(["api-keys", "revoke", key.id, "--yes"]);
    expect(revoked.code, revoked.stderr).to.equal(0);
    expect((await run(["api-keys", "list", "--lang", "en"])).stdout).to.match(/revoked .* registrering/);
  });

  it("issues course credentials with an expiry for everyone", async () => {
    writeFileSync(path.join(cwd, "kurs.csv"), "name,email,result\nAnna Nilsson,anna@example.se,Godkänd\n");
    const result = await run([
      "issue",
      course.id,
      "--csv",
      "kurs.csv",
      "--valid-until",
      "2029-06-30",
      "--json",
    ]);
    expect(result.code, result.stderr).to.equal(0);
    const id = JSON.parse(result.stdout).result.credentials[0].id;
    const status = JSON.parse((await run(["status", id, "--json"])).stdout);
    expect(status.validUntil).to.equal("2029-06-30T23:59:59.000Z");
    expect(status.credential.credentialSubject.achievement).to.include({ hours: 16, creditsAvailable: 7.5 });
  });

  it("prints the service's problem for unknown ids (exit 2) and says when it cannot be reached (exit 1)", async () => {
    const missing = await run(["status", "3f1d2c4e-8a6b-4c1d-9e2f-0a1b2c3d4e5f"]);
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.equal("intyg: Hittades inte: Intyget finns inte.\n");
    const english = await run(["status", "3f1d2c4e-8a6b-4c1d-9e2f-0a1b2c3d4e5f", "--lang", "en"]);
    expect(english.code).to.equal(2);
    expect(english.stderr).to.equal("intyg: Not found: credential not found\n");
    const fromEnv = await run(["status", "3f1d2c4e-8a6b-4c1d-9e2f-0a1b2c3d4e5f"], {
      env: { INTYG_LANG: "en" },
    });
    expect(fromEnv.stderr).to.equal("intyg: Not found: credential not found\n");
    const notAnId = await run(["status", "nope"]);
    expect(notAnId.code).to.equal(2);
    const elsewhere = await run(["events", "list"], { env: { INTYG_URL: "http://127.0.0.1:9" } });
    expect(elsewhere.code, "a stored key is never sent to another service").to.equal(2);
    expect(elsewhere.stderr).to.match(/sätt INTYG_API_KEY för den också/);
    const down = await run(["events", "list"], {
      env: { INTYG_URL: "http://127.0.0.1:9", INTYG_API_KEY: "k".repeat(40) },
    });
    expect(down.code).to.equal(1);
    expect(down.stderr).to.match(/Kan inte nå Intyg-tjänsten på http:\/\/127\.0\.0\.1:9/);
    const downEn = await run(["events", "list", "--lang", "en"], {
      env: { INTYG_URL: "http://127.0.0.1:9", INTYG_API_KEY: "k".repeat(40) },
    });
    expect(downEn.stderr).to.match(/Cannot reach the Intyg service at http:\/\/127\.0\.0\.1:9/);
  });

  it("prints a refused organiser command's problem in Swedish with no English in it (issue, revoke, events)", async () => {
    // Words only English has: any of them in the Swedish output is a text that was not translated.
    const english =
      /\b(the|not|found|is|are|must|invalid|input|expected|only|can|have|event|credential|request)\b/i;
    const failures = [
      // A course cannot have parts: a domain error of the service's events module.
      await run([
        "events",
        "create",
        "--parent",
        course.id,
        "--name",
        "Del av en kurs",
        "--start",
        "2026-05-12",
      ]),
      // Revoking twice with another reason: a conflict of the credentials route.
      await run(["revoke", issued[0]!.id, "--reason", "fraud", "--yes"]),
      // An unknown event: not found.
      await run(["events", "show", "3f1d2c4e-8a6b-4c1d-9e2f-0a1b2c3d4e5f"]),
    ];
    for (const failed of failures) {
      expect(failed.code, failed.stderr).to.equal(2);
      expect(failed.stderr.trim()).not.to.equal("");
      expect(failed.stderr, failed.stderr).not.to.match(english);
    }
    expect(failures[0]!.stderr).to.equal(
      "intyg: Går inte just nu: Bara ett evenemang (inte en kurs) kan ha delar.\n",
    );
  });

  /** Sends a prepared authorisation from the organisation's admin account, as its Safe or wallet would. */
  async function sendAsAdmin(to: string, data: string): Promise<void> {
    const chain = {
      id: stack.chainId,
      name: "local",
      nativeCurrency: { name: "E", symbol: "E", decimals: 18 },
      rpcUrls: { default: { http: [stack.rpcUrl] } },
    } as const;
    const wallet = createWalletClient({
      chain,
      transport: http(stack.rpcUrl),
      account: privateKeyToAccount(stack.deployment.adminKey),
    });
    const hash = await wallet.sendTransaction({ to: to as Address, data: data as Hex });
    const receipt = await createPublicClient({
      chain,
      transport: http(stack.rpcUrl),
    }).waitForTransactionReceipt({
      hash,
    });
    expect(receipt.status).to.equal("success");
  }

  /** Creates a key; the service does not hold the admin key, so it writes the Safe batch and explains. */
  async function createPrepared(file: string, extra: string[] = []) {
    const created = await run(["keys", "create", "--safe-batch", file, ...extra]);
    expect(created.code, created.stderr).to.equal(0);
    const address = /Nyckeln (0x[0-9a-fA-F]{40}) skapades/.exec(created.stdout)![1]!;
    const batch = JSON.parse(readFileSync(path.join(cwd, file), "utf8")) as {
      chainId: string;
      transactions: { to: string; data: string; value: string }[];
    };
    expect(statSync(path.join(cwd, file)).mode & 0o777).to.equal(0o600);
    return { address, batch, stdout: created.stdout };
  }

  it("manages the organisation's own keys: create (the admin sends the Safe batch), make current, retire, compromised, audit", async () => {
    const none = await run(["keys", "list"]);
    expect(none.code, none.stderr).to.equal(0);
    expect(none.stdout).to.include("Organisationen har inga egna nycklar än");
    // Bad input: exit 2 before any request.
    const past = await run(["keys", "create", "--valid-until", "2020-01-01"]);
    expect(past.code).to.equal(2);
    expect(past.stderr).to.include("--valid-until: måste vara senare");
    const badDate = await run(["keys", "create", "--valid-from", "12/5"]);
    expect(badDate.code).to.equal(2);
    expect(badDate.stderr).to.include("--valid-from: skriv datumet");
    const badAddress = await run(["keys", "current", "0x1234"]);
    expect(badAddress.code).to.equal(2);
    expect(badAddress.stderr).to.include("<address>: ingen adress");
    expect(JSON.parse((await run(["keys", "list", "--json"])).stdout)).to.deep.equal([]);

    const first = await createPrepared("nyckel-1.json");
    expect(first.stdout).to.include("tjänsten har inte organisationens administratörsnyckel");
    expect(first.stdout).to.include("Läs in");
    expect(first.stdout).to.include(`intyg keys current ${first.address}`);
    expect(first.batch.chainId).to.equal(String(stack.chainId));
    expect(first.batch.transactions).to.have.length(1);
    expect(first.batch.transactions[0]!.to.toLowerCase()).to.equal(stack.registry.toLowerCase());
    let keys = await run(["keys", "list"]);
    expect(keys.stdout).to.include(`${first.address}  skapad, ännu inte behörig i kedjan`);
    // Before the admin has sent it, the key cannot be made current.
    const early = await run(["keys", "current", first.address]);
    expect(early.code).to.equal(2);

    await sendAsAdmin(first.batch.transactions[0]!.to, first.batch.transactions[0]!.data);
    const current = await run(["keys", "current", first.address]);
    expect(current.code, current.stderr).to.equal(0);
    expect(current.stdout).to.include(
      `Nyckeln ${first.address} signerar organisationens intyg från och med nu`,
    );
    keys = await run(["keys", "list"]);
    expect(keys.stdout).to.include(`${first.address}  ▶ aktiv`);
    expect(keys.stdout).to.include("giltig från början, tills vidare");
    expect(keys.stdout).to.not.include("1970");
    const english = await run(["keys", "list", "--lang", "en"]);
    expect(english.stdout).to.include("current: signs the organisation's credentials");
    expect(english.stdout).to.include("valid from the start, no end date");

    // Rotation: a second key, then the first is retired (its window ends; what it signed stays valid).
    const until = new Date(Date.now() + 400 * 86_400_000).toISOString().slice(0, 10);
    const second = await createPrepared("nyckel-2.json", ["--valid-until", until]);
    await sendAsAdmin(second.batch.transactions[0]!.to, second.batch.transactions[0]!.data);
    expect((await run(["keys", "current", second.address])).code).to.equal(0);
    const stillCurrent = await run(["keys", "retire", second.address, "--yes"]);
    expect(stillCurrent.code).to.equal(2);
    const unasked = await run(["keys", "retire", first.address]);
    expect(unasked.code).to.equal(2);
    expect(unasked.stderr).to.include("Bekräfta med --yes");
    const retired = await run(["keys", "retire", first.address.toLowerCase()], { answer: "ja" });
    expect(retired.code, retired.stderr).to.equal(0);
    expect(retired.stderr).to.include("det den har signerat förblir giltigt");
    expect(retired.stdout).to.match(
      /är avvecklad: dess giltighet i kedjan upphörde nu \(transaktion 0x[0-9a-f]{64}\)/,
    );
    keys = await run(["keys", "list"]);
    expect(keys.stdout).to.include(`${first.address}  avvecklad`);
    expect(keys.stdout).to.match(
      new RegExp(
        `${second.address}  ▶ aktiv\n.*\n  giltig från början till \\d+ \\p{L}+ 20\\d\\d kl\\. 00:00\n`,
        "u",
      ),
    );

    // A compromised key: removed at once; with --revoke what it signed since then is revoked.
    const third = await createPrepared("nyckel-3.json", ["--no-current"]);
    await sendAsAdmin(third.batch.transactions[0]!.to, third.batch.transactions[0]!.data);
    const since = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const future = await run(["keys", "compromised", third.address, "--since", "2999-01-01", "--yes"]);
    expect(future.code).to.equal(2);
    expect(future.stderr).to.include("--since: den tiden har inte kommit än");
    const noSince = await run(["keys", "compromised", third.address, "--yes"]);
    expect(noSince.code).to.equal(2);
    const unknown = await run(["keys", "compromised", `0x${"1".repeat(40)}`, "--since", since], {
      answer: "ja",
    });
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.include(`Organisationen har ingen nyckel 0x${"1".repeat(40)}`);
    expect(unknown.stderr, "refused before asking").to.not.include("Fortsätta?");
    const declined = await run(["keys", "compromised", third.address, "--since", since, "--revoke"], {
      answer: "nej",
    });
    expect(declined.code).to.equal(2);
    expect(declined.stderr).to.include("tas bort i kedjan direkt");
    expect(declined.stderr).to.include("återkallas (orsak: röjd nyckel)");
    const untouched = (
      JSON.parse((await run(["keys", "list", "--json"])).stdout) as { address: string; status: string }[]
    ).find((k) => k.address === third.address);
    // (authorised by the admin, but not taken up with `keys current`: the service still counts it as created)
    expect(untouched?.status, "declined: nothing changed").to.equal("created");
    const compromised = await run([
      "keys",
      "compromised",
      third.address,
      "--since",
      since,
      "--revoke",
      "--yes",
      "--lang",
      "en",
    ]);
    expect(compromised.code, compromised.stderr).to.equal(0);
    expect(compromised.stdout).to.include(`The key ${third.address} is marked compromised`);
    expect(compromised.stdout).to.include("It signed 0 credentials since");
    const statuses = Object.fromEntries(
      (
        JSON.parse((await run(["keys", "list", "--json"])).stdout) as { address: string; status: string }[]
      ).map((k) => [k.address, k.status]),
    );
    expect(statuses).to.deep.equal({
      [first.address]: "retired",
      [second.address]: "active",
      [third.address]: "compromised",
    });

    const audit = await run(["keys", "audit"]);
    expect(audit.code, audit.stderr).to.equal(0);
    for (const words of [
      "skapad",
      "gjord behörig i kedjan",
      "gjord aktuell",
      "avvecklad",
      "markerad som röjd",
      "borttagen i kedjan",
    ])
      expect(audit.stdout).to.include(words);
    expect(audit.stdout).to.include(third.address);
    const auditJson = JSON.parse((await run(["keys", "audit", "--json"])).stdout) as { action: string }[];
    expect(auditJson.map((e) => e.action)).to.include("credentials-revoked");
  });

  it("says in words when the API key is not an admin key (exit 2) and when the service keeps no keys (exit 1)", async () => {
    const created = await run(["api-keys", "create", "utfärdare", "--role", "issuer", "--json"]);
    const issuer = JSON.parse(created.stdout) as { secret: string };
    const asIssuer = { env: { INTYG_URL: stack.serviceUrl, INTYG_API_KEY: issuer.secret } };
    for (const args of [
      ["keys", "list"],
      ["keys", "create"],
      ["keys", "audit"],
      ["retention", "set", "30"],
    ]) {
      const refused = await run(args, asIssuer);
      expect(refused.code, args.join(" ")).to.equal(2);
      expect(refused.stderr, args.join(" ")).to.include("Det här kräver en administratörsnyckel");
    }
    const english = await run(["keys", "list", "--lang", "en"], asIssuer);
    expect(english.stderr).to.include("This needs an admin API key");
    // Reading the retention needs no admin key.
    expect((await run(["retention", "show"], asIssuer)).code).to.equal(0);

    // A service started without a key-encryption key answers 501 key.no-keyring (a stand-in answers it here;
    // it also tells more about the retention than this service does, as a newer one may).
    const server = createServer((request, response) => {
      if (request.url === "/v1/organisation/retention") {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify({ days: 90, default: false, appliesFrom: "2026-07-01" }));
        return;
      }
      response.writeHead(501, { "content-type": "application/problem+json" });
      response.end(
        JSON.stringify({
          type: "about:blank",
          title: "Not implemented",
          status: 501,
          code: "key.no-keyring",
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const noKeyring = await run(["keys", "create"], {
        env: { INTYG_URL: url, INTYG_API_KEY: stack.apiKey },
      });
      expect(noKeyring.code).to.equal(1);
      expect(noKeyring.stderr).to.include("Den här tjänsten förvarar inga egna nycklar åt organisationer");
      const newer = await run(["retention", "show"], {
        env: { INTYG_URL: url, INTYG_API_KEY: stack.apiKey },
      });
      expect(newer.code, newer.stderr).to.equal(0);
      expect(newer.stdout).to.include("Personuppgifter sparas i 90 dagar");
      expect(newer.stdout).to.include("appliesFrom: 2026-07-01");
    } finally {
      server.close();
    }
  });

  it("logs out; INTYG_URL + INTYG_API_KEY and .intyg/dev.json still work", async () => {
    const out = await run(["logout"]);
    expect(out.code).to.equal(0);
    expect(out.stdout).to.match(/Utloggad/);
    expect((await run(["events", "list"])).code).to.equal(2);
    expect((await run(["logout"])).stdout).to.match(/Inte inloggad/);

    const viaEnv = await run(["events", "list"], {
      env: { INTYG_URL: stack.serviceUrl, INTYG_API_KEY: stack.apiKey },
    });
    expect(viaEnv.code, viaEnv.stderr).to.equal(0);

    const project = mkdtempSync(path.join(tmpdir(), "intyg-dev-"));
    mkdirSync(path.join(project, ".intyg"));
    writeFileSync(
      path.join(project, ".intyg", "dev.json"),
      JSON.stringify({ serviceUrl: stack.serviceUrl, apiKey: stack.apiKey, rpcUrl: stack.rpcUrl }),
    );
    const viaDev = await intyg(["events", "list", "--json"], { env, cwd: path.join(project) });
    expect(viaDev.code, viaDev.stderr).to.equal(0);
    expect(JSON.parse(viaDev.stdout)).to.have.length(3);
  });
});
