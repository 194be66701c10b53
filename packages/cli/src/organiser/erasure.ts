// An erasure receipt in words, for the organiser to read and to hand to the data subject: which credential,
// when, why, on whose request, and what was destroyed. The receipt holds no personal data.

import type { Lang } from "@intyg/credential/lang";
import { hasText, t } from "../texts";
import type { ErasureReceipt } from "./api";
import { when } from "./common";

/** One destroyed item in words (an item this CLI does not know yet is shown as the service names it). */
export function destroyedText(lang: Lang, item: string): string {
  const key = `erasure.destroyed.${item}`;
  return hasText(key) ? t(lang, key) : item;
}

/** Who erased: an API key, or the retention rule. */
export function erasedByText(lang: Lang, erasedBy: string): string {
  if (erasedBy === "retention") return t(lang, "erasure.by-retention");
  const key = /^api-key:(.+)$/.exec(erasedBy);
  return key ? t(lang, "erasure.by-key", { id: key[1] }) : erasedBy;
}

export function reasonText(lang: Lang, reason: string): string {
  const key = `erasure.reason.${reason}`;
  return hasText(key) ? t(lang, key) : reason;
}

/** The whole receipt, one labelled line each, the destroyed items as a list. */
export function renderReceipt(lang: Lang, receipt: ErasureReceipt): string {
  const lines = [
    `${t(lang, "erasure.receipt")}: ${receipt.id}`,
    `  ${t(lang, "erasure.credential")}: ${receipt.credentialId}`,
    `  ${t(lang, "erasure.when")}: ${when(lang, receipt.erasedAt)}`,
    `  ${t(lang, "erasure.why")}: ${reasonText(lang, receipt.reason)}`,
    `  ${t(lang, "erasure.by")}: ${erasedByText(lang, receipt.erasedBy)}`,
    `  ${t(lang, "erasure.destroyed")}:`,
    ...receipt.destroyed.map((item) => `    - ${destroyedText(lang, item)}`),
    `  ${t(lang, "erasure.kept")}`,
  ];
  return `${lines.join("\n")}\n`;
}
