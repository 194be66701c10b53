// E-mail delivery against a real SMTP server on 127.0.0.1: each attendee gets one message in their language
// with their holder link and the certificate PDF; HTML is escaped and has no tracking; a 5xx answer fails the
// delivery, a 4xx is retried with backoff; no address reaches the log; "send again" and the outbox.

import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { simpleParser } from "mailparser";
import pino from "pino";
import { composeEmail, isSendableAddress } from "../src/delivery/email";
import { type AppHarness, CONFERENCE, createAppHarness, expectJson, expectProblem } from "./helpers/harness";
import { startSmtp, type TestSmtp } from "./helpers/smtp";

type Resource = {
  id: string;
  holderUrl: string;
  attendee: { email: string | null } | null;
  delivery: { status: string; attempts: number; lastError: string | null; sentAt: string | null };
};

const ATTENDEES = [
  { subject: { name: "Åsa Öberg", email: "asa.oberg@example.se" }, reference: "A-1" },
  { subject: { name: "Oliver Twist", email: "oliver@example.org" }, lang: "en" as const, reference: "A-2" },
  { subject: { name: 'Eve <script>alert("x")</script>', email: "eve@example.se" }, reference: "A-3" },
  { subject: { name: "Avvisad Adress", email: "avvisad@example.se" }, reference: "A-4" },
  { subject: { name: "Tillfälligt Fel", email: "tillfalligt@example.se" }, reference: "A-5" },
  { subject: { name: "Utan Adress" }, reference: "A-6" },
];

describe("e-mail delivery through a real SMTP server (pglite)", () => {
  let h: AppHarness;
  let smtp: TestSmtp;
  let eventId: string;
  let items: Resource[];
  const logLines: string[] = [];
  const tempFailures = new Map<string, number[]>();

  const byRef = async (reference: string) => {
    const page = await expectJson<{ items: Resource[] }>(
      await h.call("GET", `/v1/events/${eventId}/credentials?q=${reference}`),
      200,
    );
    return page.items[0]!;
  };

  before(async () => {
    smtp = await startSmtp();
    smtp.rcpt = (address) => {
      if (address === "avvisad@example.se") return { code: 550, message: `5.1.1 <${address}> no such user` };
      if (address === "tillfalligt@example.se") {
        const times = tempFailures.get(address) ?? [];
        times.push(Date.now());
        tempFailures.set(address, times);
        if (times.length <= 2) return { code: 451, message: "4.3.0 try again later" };
      }
      return null;
    };
    const stream = { write: (line: string) => logLines.push(line) };
    h = await createAppHarness("pglite", {
      autoStartWorker: false,
      logger: pino({ level: "debug" }, stream),
      config: {
        email: {
          smtpUrl: smtp.url,
          from: "Offentliga Rummet <intyg@example.se>",
          outboxDir: "/nonexistent",
          perMinute: 1000,
          maxAttempts: 5,
          retryBaseMs: 300,
          retryMaxMs: 2000,
          leaseMs: 60_000,
        },
      },
    });
    eventId = (
      await expectJson<{ id: string }>(
        await h.call("POST", "/v1/events", { body: { kind: "event", details: CONFERENCE } }),
        201,
      )
    ).id;
    await expectJson(
      await h.call("POST", `/v1/events/${eventId}/credentials/bulk`, {
        body: { attendees: ATTENDEES, send: true },
        headers: { "idempotency-key": "mail-1" },
      }),
      201,
    );
  });
  after(async () => {
    await h?.close();
    await smtp?.close();
  });

  it("queues an e-mail per attendee with an address, sent only once the credential is anchored", async () => {
    expect((await byRef("A-1")).delivery.status).to.equal("queued");
    expect((await byRef("A-6")).delivery.status).to.equal("none");
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      await h.worker.runOnce();
      const statuses = await Promise.all(["A-1", "A-2", "A-3", "A-4", "A-5"].map(byRef));
      if (statuses.every((s) => s.delivery.status === "sent" || s.delivery.status === "failed")) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    items = await Promise.all(["A-1", "A-2", "A-3", "A-4", "A-5", "A-6"].map(byRef));
    expect(items.map((i) => i.delivery.status)).to.deep.equal([
      "sent",
      "sent",
      "sent",
      "failed",
      "sent",
      "none",
    ]);
  });

  it("sends each accepted message once, to its attendee, in their language, with link and PDF", async () => {
    const to = smtp.accepted.map((m) => m.to).sort();
    expect(to).to.deep.equal(
      ["asa.oberg@example.se", "eve@example.se", "oliver@example.org", "tillfalligt@example.se"].sort(),
    );
    const sv = smtp.accepted.find((m) => m.to === "asa.oberg@example.se")!.mail;
    const en = smtp.accepted.find((m) => m.to === "oliver@example.org")!.mail;
    expect(sv.subject).to.equal(`Ditt intyg: ${CONFERENCE.name}`);
    expect(en.subject).to.equal(`Your certificate: ${CONFERENCE.name}`);
    expect(sv.text).to.include("Hej Åsa Öberg!").and.include(items[0]!.holderUrl);
    expect(en.text).to.include("Hello Oliver Twist,").and.include(items[1]!.holderUrl);
    expect(sv.html as string).to.include(`href="${items[0]!.holderUrl}"`);
    expect(sv.from?.text).to.equal('"Offentliga Rummet" <intyg@example.se>');
    expect(sv.headers.get("auto-submitted")).to.equal("auto-generated");
    for (const { mail } of smtp.accepted) {
      expect(mail.attachments).to.have.length(1);
      expect(mail.attachments[0]!.contentType).to.equal("application/pdf");
      expect(mail.attachments[0]!.content.subarray(0, 5).toString()).to.equal("%PDF-");
      // No tracking: no images, no remote resources, only the holder link.
      expect(mail.html as string).to.not.match(/<img|src=|url\(/i);
      const links = [...(mail.html as string).matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
      expect(links).to.have.length(1);
      expect(links[0]).to.match(/^http:\/\/127\.0\.0\.1:8787\/holder\//);
    }
    const rows = await h.store.deliveries.forCredential(items[0]!.id);
    expect(smtp.accepted.find((m) => m.to === "asa.oberg@example.se")!.messageId).to.equal(
      rows[0]!.messageId,
    );
  });

  it("escapes the attendee's name in the HTML", () => {
    const eve = smtp.accepted.find((m) => m.to === "eve@example.se")!.mail;
    expect(eve.html as string).to.not.include("<script>");
    expect(eve.html as string).to.include("Eve &#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;");
    expect(eve.text).to.include('Hej Eve <script>alert("x")</script>!');
  });

  it("fails a delivery the server refuses (5xx) at once, without the address in the error", async () => {
    const refused = items[3]!;
    expect(refused.delivery.attempts).to.equal(1);
    expect(refused.delivery.lastError).to.match(/^SMTP 550/);
    expect(refused.delivery.lastError).to.not.include("avvisad@");
  });

  it("retries a temporary failure (4xx) with growing delays, then sends it", async () => {
    const retried = items[4]!;
    expect(retried.delivery).to.include({ status: "sent", attempts: 3, lastError: null });
    const times = tempFailures.get("tillfalligt@example.se")!;
    expect(times).to.have.length(3);
    const [first, second, third] = times as [number, number, number];
    expect(second - first).to.be.at.least(300);
    expect(third - second).to.be.at.least(600);
  });

  it("keeps every e-mail address out of the log", () => {
    const log = logLines.join("");
    expect(log).to.include("e-mail sent");
    for (const a of ATTENDEES) if (a.subject.email) expect(log).to.not.include(a.subject.email);
    expect(log).to.not.match(/@example\.(se|org)/);
  });

  it("sends again on request (Idempotency-Key), once per key; refuses what cannot be sent", async () => {
    const before = smtp.accepted.length;
    const again = await h.call("POST", `/v1/credentials/${items[0]!.id}/send`, {
      headers: { "idempotency-key": "again-1" },
    });
    expect((await expectJson<Resource>(again, 202)).delivery.status).to.equal("queued");
    const replay = await h.call("POST", `/v1/credentials/${items[0]!.id}/send`, {
      headers: { "idempotency-key": "again-1" },
    });
    expect(replay.status).to.equal(202);
    expect(replay.headers.get("idempotent-replayed")).to.equal("true");
    await h.worker.runOnce();
    expect(smtp.accepted.length).to.equal(before + 1);
    expect((await byRef("A-1")).delivery).to.include({ status: "sent", attempts: 1 });
    const ids = (await h.store.deliveries.forCredential(items[0]!.id)).map((d) => d.messageId);
    expect(new Set(ids).size).to.equal(2);
    await expectProblem(
      await h.call("POST", `/v1/credentials/${items[5]!.id}/send`, { headers: { "idempotency-key": "x-6" } }),
      409,
    );
    await expectProblem(await h.call("POST", `/v1/credentials/${items[0]!.id}/send`), 400);
    // The failed one again, for the whole event: one more message queued.
    const queued = await expectJson<{ queued: number }>(
      await h.call("POST", `/v1/events/${eventId}/deliveries`, { body: { scope: "failed" } }),
      200,
    );
    expect(queued.queued).to.equal(1);
  });

  it("refuses addresses that would inject headers or name several recipients", () => {
    expect(isSendableAddress("asa@example.se")).to.equal(true);
    for (const bad of [
      "asa@example.se\r\nBcc: x@example.se",
      "asa@example.se, x@example.se",
      "Åsa <asa@example.se>",
      "asa@example.se\nSubject: x",
      "asa@@example.se",
    ]) {
      expect(isSendableAddress(bad), bad).to.equal(false);
    }
    const mail = composeEmail({
      lang: "sv",
      name: "X",
      event: "Konferens\r\nBcc: x@example.se",
      issuer: "Org",
      holderUrl: "http://h/holder/t",
    });
    expect(mail.subject).to.equal("Ditt intyg: Konferens Bcc: x@example.se");
  });
});

describe("e-mail outbox without SMTP (pglite)", () => {
  it("writes each message as one .eml file named after its delivery; a repeat replaces it", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "intyg-outbox-"));
    const h = await createAppHarness("pglite", {
      autoStartWorker: false,
      config: { email: { smtpUrl: null, outboxDir: dir } as never },
    });
    try {
      const eventId = (
        await expectJson<{ id: string }>(
          await h.call("POST", "/v1/events", { body: { kind: "event", details: CONFERENCE } }),
          201,
        )
      ).id;
      await expectJson(
        await h.call("POST", `/v1/events/${eventId}/credentials/bulk`, {
          body: { attendees: ATTENDEES.slice(0, 2), send: true },
          headers: { "idempotency-key": "outbox" },
        }),
        201,
      );
      for (let i = 0; i < 3; i++) await h.worker.runOnce();
      const files = readdirSync(dir).sort();
      expect(files).to.have.length(2);
      expect(files.every((f) => f.endsWith(".eml"))).to.equal(true);
      const parsed = await Promise.all(files.map((f) => simpleParser(readFileSync(path.join(dir, f)))));
      expect(parsed.map((m) => (m.to as { text: string }).text).sort()).to.deep.equal([
        "asa.oberg@example.se",
        "oliver@example.org",
      ]);
      expect(parsed.every((m) => m.attachments[0]?.contentType === "application/pdf")).to.equal(true);
    } finally {
      await h.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
