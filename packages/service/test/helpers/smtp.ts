// A real SMTP server on 127.0.0.1 (the smtp-server package) for the e-mail delivery tests: it parses every
// message it accepts (mailparser) and can answer chosen recipients with an error, or hold a message unanswered.

import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export type Received = { to: string; messageId: string; mail: ParsedMail };

export type TestSmtp = {
  url: string;
  /** Messages accepted (answered 250), in order. */
  accepted: Received[];
  /** Messages whose data arrived (accepted or not), in order. */
  arrived: Received[];
  /** Answer for a recipient: a code and message to refuse it with, or null to accept. */
  rcpt: (address: string) => { code: number; message: string } | null;
  /** Whether to hold the message unanswered (its sender waits until it gives up or dies). */
  hold: (message: Received) => boolean;
  close(): Promise<void>;
};

export async function startSmtp(): Promise<TestSmtp> {
  const state: Pick<TestSmtp, "accepted" | "arrived" | "rcpt" | "hold"> = {
    accepted: [],
    arrived: [],
    rcpt: () => null,
    hold: () => false,
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(address, _session, callback) {
      const refusal = state.rcpt(address.address);
      if (!refusal) return callback();
      const error = new Error(refusal.message) as Error & { responseCode: number };
      error.responseCode = refusal.code;
      return callback(error);
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const received = {
            to: session.envelope.rcptTo.map((r) => r.address).join(","),
            messageId: mail.messageId ?? "",
            mail,
          };
          state.arrived.push(received);
          if (state.hold(received)) return; // never answered
          state.accepted.push(received);
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return Object.assign(state, {
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
