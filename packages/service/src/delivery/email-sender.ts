// Sends the queued e-mails (the deliveries table): claims one due delivery at a time with a lease, composes the
// message, sends it through SMTP (INTYG_SMTP_URL) or writes it as an .eml file to the outbox, and records the
// outcome. Runs in the worker's pass, on the leader only.
//
// Exactly-once is impossible over SMTP; this is the choice made, at-least-once with de-duplication:
// - A delivery is `sending` with a lease BEFORE anything leaves, and `sent` only after the server accepted it.
// - A delivery the server accepted and that was recorded `sent` is never sent again (a restart does not touch it).
// - If the process dies after the server accepted a message but before `sent` was recorded, the lease runs out
//   and the message is sent again — with the same Message-ID (fixed when the delivery was queued), so that a
//   receiving server or mail client can recognise the repeat. That window is the time between the server's
//   "250 OK" and one database update. In the outbox the file is named after the delivery, so a repeat replaces
//   it rather than adding a second one.
// - A 5xx answer fails the delivery for good; a 4xx answer or a lost connection is retried with exponential
//   backoff, up to `maxAttempts`.
// E-mail addresses never reach the log, and are removed from any server answer before it is stored.

import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import nodemailer from "nodemailer";
import type { EmailConfig, ServiceConfig } from "../config";
import { certificateFor } from "../http/delivery";
import { holderUrl } from "../issuance";
import type { Logger } from "../logger";
import type { Store } from "../store/store";
import type { CredentialRecord, DeliveryRecord } from "../store/types";
import { composeEmail, isSendableAddress, withoutAddresses } from "./email";

export type Mail = {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  attachments: { filename: string; content: Buffer; contentType: string }[];
};

/** Sends one message; throws on failure (`responseCode` set when the server answered). */
export type MailTransport = { send(mail: Mail, deliveryId: string): Promise<void>; close(): void };

type SmtpError = Error & { responseCode?: number; code?: string };

/** SMTP through nodemailer. */
export function smtpTransport(url: string): MailTransport {
  const transporter = nodemailer.createTransport(url);
  return {
    async send(mail) {
      await transporter.sendMail({
        ...mail,
        headers: { "Auto-Submitted": "auto-generated" },
        disableUrlAccess: true,
        disableFileAccess: true,
      });
    },
    close: () => transporter.close(),
  };
}

/** The outbox: each message as `<delivery id>.eml` (RFC 822 text from nodemailer), written whole or not at all. */
export function outboxTransport(dir: string): MailTransport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "windows" });
  return {
    async send(mail, deliveryId) {
      const info = await transporter.sendMail({
        ...mail,
        headers: { "Auto-Submitted": "auto-generated" },
        disableUrlAccess: true,
        disableFileAccess: true,
      });
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const file = path.join(dir, `${deliveryId}.eml`);
      const partial = `${file}.partial`;
      writeFileSync(partial, info.message as Buffer, { mode: 0o600 });
      renameSync(partial, file);
    },
    close() {},
  };
}

export function mailTransport(config: EmailConfig): MailTransport {
  return config.smtpUrl ? smtpTransport(config.smtpUrl) : outboxTransport(config.outboxDir);
}

export type MailerDeps = {
  store: Store;
  logger: Logger;
  config: Pick<ServiceConfig, "publicUrl" | "verifyUrl" | "email">;
  transport?: MailTransport;
};

export type Mailer = {
  /** Sends what is due (within the rate limit); returns how many were sent. */
  runOnce(): Promise<{ sent: number; failed: number; retried: number }>;
  close(): void;
};

/** Why a failed attempt failed, without addresses; and whether trying again could help. */
function classify(error: unknown): { reason: string; permanent: boolean } {
  const e = error as SmtpError;
  const code = typeof e?.responseCode === "number" ? e.responseCode : null;
  const message = withoutAddresses(String(e?.message ?? error)).slice(0, 300);
  if (code !== null) return { reason: `SMTP ${code}: ${message}`, permanent: code >= 500 };
  return { reason: message || "the message could not be sent", permanent: false };
}

export function createMailer(deps: MailerDeps): Mailer {
  const { store, config } = deps;
  const email = config.email;
  const log = deps.logger.child({ component: "mail" });
  const transport = deps.transport ?? mailTransport(email);
  /** Send times of the last minute (the rate limit). */
  const recent: number[] = [];

  async function compose(delivery: DeliveryRecord, credential: CredentialRecord): Promise<Mail | string> {
    const doc = credential.document as {
      credentialSubject?: { name?: unknown; email?: unknown; achievement?: { name?: unknown } };
      issuer?: { name?: unknown };
    } | null;
    const to = doc?.credentialSubject?.email;
    if (typeof to !== "string") return "the credential has no e-mail address";
    if (!isSendableAddress(to)) return "the e-mail address cannot be used (one plain address is needed)";
    if (!credential.holderToken) return "the credential has no holder link";
    const name = typeof doc?.credentialSubject?.name === "string" ? doc.credentialSubject.name : null;
    const event = String(doc?.credentialSubject?.achievement?.name ?? "");
    const issuer = String(doc?.issuer?.name ?? "");
    const content = composeEmail({
      lang: delivery.lang,
      name,
      event,
      issuer,
      holderUrl: holderUrl(config.publicUrl, credential.holderToken),
    });
    const pdf = await certificateFor({ store, config: config as ServiceConfig }, credential, delivery.lang);
    return {
      from: email.from,
      to,
      ...content,
      messageId: delivery.messageId,
      attachments: [
        {
          filename: `${delivery.lang === "sv" ? "intyg" : "certificate"}-${credential.id.slice(0, 8)}.pdf`,
          content: Buffer.from(pdf),
          contentType: "application/pdf",
        },
      ],
    };
  }

  async function runOnce() {
    const outcome = { sent: 0, failed: 0, retried: 0 };
    const unsendable = await store.deliveries.settleUnsendable();
    outcome.failed += unsendable;
    for (;;) {
      const now = Date.now();
      while (recent.length > 0 && recent[0]! <= now - 60_000) recent.shift();
      if (recent.length >= email.perMinute) break;
      const claimed = await store.deliveries.claim(email.leaseMs);
      if (!claimed) break;
      const { delivery, credential } = claimed;
      recent.push(Date.now());
      let mail: Mail | string;
      try {
        mail = await compose(delivery, credential);
      } catch (error) {
        mail = `the message could not be composed: ${withoutAddresses(String((error as Error)?.message ?? error))}`;
      }
      if (typeof mail === "string") {
        await store.deliveries.markFailed(delivery.id, mail);
        outcome.failed += 1;
        log.warn({ delivery: delivery.id, credential: credential.id, reason: mail }, "e-mail not sent");
        continue;
      }
      try {
        await transport.send(mail, delivery.id);
      } catch (error) {
        const { reason, permanent } = classify(error);
        if (permanent || delivery.attempts >= email.maxAttempts) {
          await store.deliveries.markFailed(delivery.id, reason);
          outcome.failed += 1;
          log.warn({ delivery: delivery.id, credential: credential.id, reason }, "e-mail failed");
        } else {
          const delay = Math.min(email.retryBaseMs * 2 ** (delivery.attempts - 1), email.retryMaxMs);
          await store.deliveries.markRetry(delivery.id, reason, new Date(Date.now() + delay));
          outcome.retried += 1;
          log.info(
            {
              delivery: delivery.id,
              credential: credential.id,
              attempt: delivery.attempts,
              delayMs: delay,
              reason,
            },
            "e-mail will be retried",
          );
        }
        continue;
      }
      await store.deliveries.markSent(delivery.id);
      outcome.sent += 1;
      log.info(
        { delivery: delivery.id, credential: credential.id, attempt: delivery.attempts },
        "e-mail sent",
      );
    }
    return outcome;
  }

  return { runOnce, close: () => transport.close() };
}
