// The e-mail that brings an attendee their credential: plain text and HTML, Swedish or English, with the link to
// their holder page and the certificate PDF attached. No tracking: no images, no pixels, no redirecting links.
// Every value from the credential is escaped in the HTML and kept on one line in headers.

import type { CertificateLanguage } from "./pdf";

const EN = {
  subject: "Your certificate: {event}",
  greeting: "Hello {name},",
  greetingAnonymous: "Hello,",
  body: "{issuer} has issued you a certificate for {event}. It is attached as a PDF, and you can always find it on your own page, where you can also share it or show its QR code:",
  linkLabel: "Open your certificate",
  verify:
    "Anyone you show it to can check that it is genuine and still valid, without contacting us: the QR code on the certificate leads to the check.",
  keep: "The link is personal: share the certificate from your page rather than forwarding this e-mail.",
  footer: "This message was sent automatically by {issuer}'s certificate service. Replies are not read.",
} as const;

export type EmailTextKey = keyof typeof EN;

const SV: Record<EmailTextKey, string> = {
  subject: "Ditt intyg: {event}",
  greeting: "Hej {name}!",
  greetingAnonymous: "Hej!",
  body: "{issuer} har utfärdat ett intyg till dig för {event}. Det finns bifogat som PDF, och du hittar det alltid på din egen sida, där du också kan dela det eller visa dess QR-kod:",
  linkLabel: "Öppna ditt intyg",
  verify:
    "Den du visar det för kan själv kontrollera att det är äkta och fortfarande giltigt, utan att kontakta oss: QR-koden på intyget leder till kontrollen.",
  keep: "Länken är personlig: dela intyget från din sida i stället för att vidarebefordra det här mejlet.",
  footer: "Meddelandet skickades automatiskt av intygstjänsten hos {issuer}. Svar läses inte.",
};

export const EMAIL_TEXTS: Record<CertificateLanguage, Record<EmailTextKey, string>> = { en: EN, sv: SV };

export type EmailInput = {
  lang: CertificateLanguage;
  /** The holder's name (the credential's name claim), if it has one. */
  name: string | null;
  /** The event or course. */
  event: string;
  /** The issuing organisation. */
  issuer: string;
  holderUrl: string;
};

export type EmailContent = { subject: string; text: string; html: string };

/** Text for HTML: & < > " ' escaped. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** One line for a header: control characters (CR, LF, tab …) become spaces, at most 200 characters. */
export function headerText(value: string): string {
  return (
    value
      // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
      .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ")
      .trim()
      .slice(0, 200)
  );
}

/**
 * An address the service sends to: one plain mailbox, no display name, no list, no line breaks. Anything else
 * (e.g. `a@b.se\r\nBcc: x@y.se` or `a@b.se, c@d.se`) is refused rather than passed to the mail transport.
 */
export function isSendableAddress(value: string): boolean {
  return (
    value.length <= 320 && /^[^\s@<>(),;:"\\[\]]+@[^\s@<>(),;:"\\[\]]+\.[^\s@<>(),;:"\\[\]]+$/u.test(value)
  );
}

/** Removes e-mail addresses from a text (e.g. an SMTP server's answer) before it is stored or logged. */
export function withoutAddresses(value: string): string {
  return value.replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, "<address>");
}

export function composeEmail(input: EmailInput): EmailContent {
  const texts = EMAIL_TEXTS[input.lang];
  const fill = (key: EmailTextKey, encode: (s: string) => string) =>
    texts[key].replace(/\{(\w+)\}/g, (_, name: string) =>
      encode(name === "name" ? (input.name ?? "") : name === "event" ? input.event : input.issuer),
    );
  const plain = (s: string) => s;
  const greetingKey: EmailTextKey = input.name ? "greeting" : "greetingAnonymous";
  const text = [
    fill(greetingKey, plain),
    "",
    fill("body", plain),
    input.holderUrl,
    "",
    fill("verify", plain),
    fill("keep", plain),
    "",
    "-- ",
    fill("footer", plain),
    "",
  ].join("\n");
  const url = escapeHtml(input.holderUrl);
  const html = `<!doctype html>
<html lang="${input.lang}">
<head><meta charset="utf-8"><title>${escapeHtml(headerText(fill("subject", plain)))}</title></head>
<body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1f2937; max-width: 40rem">
<p>${fill(greetingKey, escapeHtml)}</p>
<p>${fill("body", escapeHtml)}</p>
<p><a href="${url}">${escapeHtml(texts.linkLabel)}</a><br><span style="color: #4b5563">${url}</span></p>
<p>${fill("verify", escapeHtml)}</p>
<p>${fill("keep", escapeHtml)}</p>
<hr>
<p style="color: #4b5563; font-size: 0.9em">${fill("footer", escapeHtml)}</p>
</body>
</html>
`;
  return { subject: headerText(fill("subject", plain)), text, html };
}
