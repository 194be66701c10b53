// The e-mail sender killed with SIGKILL in the middle of a send (a child process, PostgreSQL): the messages the
// server accepted before are never sent again; the one it had not answered is sent by the restarted sender,
// after its lease, with the same Message-ID.

import { expect } from "chai";
import { CONFERENCE, createAppHarness, expectJson } from "./helpers/harness";
import { type Child, runTs } from "./helpers/process";
import { startSmtp } from "./helpers/smtp";
import { TEST_DATABASE_URL } from "./helpers/stores";

describe("e-mail sender killed mid-send (child processes, postgres)", function () {
  this.timeout(180_000);

  it("sends every message once: none of the accepted again, the unanswered one again with its Message-ID", async () => {
    const smtp = await startSmtp();
    const h = await createAppHarness("postgres", { autoStartWorker: false, worker: { mail: false } });
    const children: Child[] = [];
    try {
      const schema = (h.store as { schema?: string }).schema!;
      const eventId = (
        await expectJson<{ id: string }>(
          await h.call("POST", "/v1/events", { body: { kind: "event", details: CONFERENCE } }),
          201,
        )
      ).id;
      const attendees = [1, 2, 3].map((i) => ({
        subject: { name: `Deltagare ${i}`, email: `d${i}@example.se` },
      }));
      await expectJson(
        await h.call("POST", `/v1/events/${eventId}/credentials/bulk`, {
          body: { attendees, send: true },
          headers: { "idempotency-key": "kill-mail" },
        }),
        201,
      );
      await h.worker.runOnce();
      await h.worker.runOnce();

      // The third message to arrive is held: the sender waits for an answer that never comes, and is killed.
      let held: (() => void) | null = null;
      const heldArrived = new Promise<void>((resolve) => {
        held = resolve;
      });
      smtp.hold = () => {
        if (smtp.arrived.length !== 3) return false;
        held?.();
        return true;
      };
      const env = {
        DATABASE_URL: TEST_DATABASE_URL,
        INTYG_TEST_SCHEMA: schema,
        INTYG_SMTP_URL: smtp.url,
        INTYG_MAIL_LEASE_MS: "3000",
        INTYG_LOG_FILE: undefined,
      };
      const first = runTs("test/fixtures/mail-process.ts", [], env);
      children.push(first);
      await first.waitFor(/mailer ready/);
      await heldArrived;
      first.process.kill("SIGKILL");
      expect(await first.exited).to.equal("SIGKILL");

      const rows = async () =>
        (await h.store.db.query<{ status: string; message_id: string }>(
          "SELECT status, message_id FROM deliveries ORDER BY created_at, id",
        )) as { status: string; message_id: string }[];
      const afterKill = await rows();
      expect(afterKill.map((r) => r.status).sort()).to.deep.equal(["sending", "sent", "sent"]);
      expect(smtp.accepted).to.have.length(2);
      const unanswered = smtp.arrived[2]!;
      const sending = afterKill.find((r) => r.status === "sending")!;
      expect(unanswered.messageId).to.equal(sending.message_id);

      // Restarted: after the lease runs out, only the unanswered delivery is sent, with the same Message-ID.
      smtp.hold = () => false;
      const second = runTs("test/fixtures/mail-process.ts", [], env);
      children.push(second);
      await second.waitFor(/mailer ready/);
      const deadline = Date.now() + 60_000;
      while ((await rows()).some((r) => r.status !== "sent")) {
        if (Date.now() > deadline) throw new Error("the held delivery was not sent again");
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await new Promise((resolve) => setTimeout(resolve, 1000)); // a pass or more after: nothing more is sent
      expect(smtp.accepted.map((m) => m.to).sort()).to.deep.equal([
        "d1@example.se",
        "d2@example.se",
        "d3@example.se",
      ]);
      const retried = smtp.accepted.find((m) => m.to === unanswered.to)!;
      expect(retried.messageId).to.equal(unanswered.messageId);
      expect(new Set(smtp.accepted.map((m) => m.messageId)).size).to.equal(3);
      expect((await rows()).map((r) => r.message_id).sort()).to.deep.equal(
        smtp.accepted.map((m) => m.messageId).sort(),
      );
    } finally {
      for (const child of children) if (child.process.exitCode === null) child.process.kill("SIGKILL");
      await Promise.all(children.map((c) => c.exited));
      await h.close();
      await smtp.close();
    }
  });
});
