// The organiser commands end to end against a real service (in-process, embedded database) on a real chain:
// login → events create → courses create → issue from CSV (a job, polled) → status → revoke → export.

import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseCsv } from "@intyg/credential";
import { type LocalStack, startLocalStack } from "@intyg/stack";
import { expect } from "chai";
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
