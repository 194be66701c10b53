// Data protection: how long personal data is kept (read by everyone, changed with an admin key), the receipts
// of every erasure, and one receipt as a page to print or download for the person whose data was erased. A
// receipt holds ids, a time and what was destroyed: no personal data.

import { ApiError, api } from "./api";
import type { Page, View } from "./context";
import { field, h, replace } from "./dom";
import { back, heading, problemList } from "./events";
import { actorText } from "./keys";

export type ErasureReceipt = {
  id: string;
  credentialId: string;
  reason: string;
  erasedBy: string;
  erasedAt: string;
  destroyed: string[];
};

/** The retention as the service sends it; a newer service may tell more than `days` and `default`. */
type Retention = { days: number; default: boolean } & Record<string, unknown>;

function erasedBy(v: View, by: string): string {
  return by === "retention" ? v.t("erasedByRetention") : actorText(v, by);
}

export async function privacyPage(v: View): Promise<void> {
  const { t } = v;
  const [retention, receipts] = await Promise.all([
    api<Retention>("GET", "/v1/organisation/retention"),
    api<Page<ErasureReceipt>>("GET", "/v1/erasures?limit=500"),
  ]);
  replace(
    v.main,
    heading(v, t("privacyTitle")),
    h("p", { class: "lead" }, t("privacyLead")),
    retentionSection(v, retention),
    h("h2", { id: "receipts-title" }, t("receiptsTitle")),
    h("p", {}, t("receiptsLead")),
    receipts.items.length === 0
      ? h("p", { class: "empty", id: "receipts-none" }, t("receiptsNone"))
      : receiptTable(v, [...receipts.items].reverse()),
  );
}

function retentionWords(v: View, retention: Retention): HTMLElement {
  const { t } = v;
  const extra = Object.entries(retention).filter(([name]) => name !== "days" && name !== "default");
  return h(
    "div",
    { id: "retention-now" },
    h("p", {}, t("retentionText", { days: v.number(retention.days) })),
    h("p", { class: "note" }, t(retention.default ? "retentionDefault" : "retentionOwn")),
    // Whatever else the service says about it, shown as it says it.
    extra.length
      ? h(
          "dl",
          { class: "facts", id: "retention-more" },
          extra.flatMap(([name, value]) => [
            h("dt", {}, v.label(`retention.${name}`, name)),
            h("dd", {}, typeof value === "string" ? value : JSON.stringify(value)),
          ]),
        )
      : null,
  );
}

function retentionSection(v: View, retention: Retention): HTMLElement {
  const { t } = v;
  const section = h("section", { "aria-labelledby": "retention-title" });
  const render = (current: Retention) => {
    replace(section, h("h2", { id: "retention-title" }, t("retentionTitle")), retentionWords(v, current));
    if (!v.admin) {
      section.append(h("p", { class: "note", id: "retention-admin-only" }, t("retentionAdminOnly")));
      return;
    }
    const days = h("input", {
      type: "number",
      name: "days",
      min: 1,
      max: 3650,
      step: 1,
      required: true,
      value: current.days,
      inputmode: "numeric",
    });
    const errors = h("div", { id: "retention-errors" });
    const save = h("button", { type: "submit", class: "primary", id: "retention-save" }, t("retentionSave"));
    const reset = h("button", { type: "button", id: "retention-reset" }, t("retentionReset"));
    const send = async (value: number | null) => {
      replace(errors);
      try {
        const updated = await api<Retention>("PUT", "/v1/organisation/retention", { days: value });
        render(updated);
        v.notice(t("retentionSaved", { days: v.number(updated.days) }));
      } catch (error) {
        const refused = error instanceof ApiError && error.status === 403;
        replace(
          errors,
          refused
            ? h("div", { class: "problem", role: "alert" }, h("p", {}, h("strong", {}, t("adminOnly"))))
            : problemList(v, error),
        );
      }
    };
    const form = h(
      "form",
      { id: "retention-form" },
      errors,
      field("retention-days", t("retentionDays"), days, t("retentionDaysHint")),
      h("div", { class: "actions" }, save, current.default ? null : reset),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      void send(Number(days.value));
    });
    reset.addEventListener("click", () => void send(null));
    section.append(form);
  };
  render(retention);
  return section;
}

function receiptTable(v: View, receipts: ErasureReceipt[]): HTMLElement {
  const { t } = v;
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "stack", id: "receipts", "aria-labelledby": "receipts-title" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col" }, t("colWhen")),
          h("th", { scope: "col" }, t("receiptCredential")),
          h("th", { scope: "col" }, t("receiptWhy")),
          h("th", { scope: "col" }, t("receiptBy")),
          h("th", { scope: "col" }, t("receiptTitle")),
        ),
      ),
      h(
        "tbody",
        {},
        receipts.map((r) =>
          h(
            "tr",
            { "data-receipt": r.id },
            h("td", { "data-label": t("colWhen") }, v.date(r.erasedAt, true)),
            h("td", { "data-label": t("receiptCredential") }, h("code", {}, r.credentialId)),
            h("td", { "data-label": t("receiptWhy") }, v.label(`erasureReason.${r.reason}`, r.reason)),
            h("td", { "data-label": t("receiptBy") }, erasedBy(v, r.erasedBy)),
            h(
              "td",
              {},
              h(
                "a",
                { href: `#/erasures/${r.credentialId}`, "aria-label": `${t("openReceipt")} ${r.id}` },
                t("openReceipt"),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

/** One receipt as a page of its own: to print, or to download, for the person whose data was erased. */
export async function receiptPage(v: View, credentialId: string, organisation: string): Promise<void> {
  const { t } = v;
  const r = await api<ErasureReceipt>("GET", `/v1/credentials/${credentialId}/erasure`);
  const facts = h(
    "dl",
    { class: "facts", id: "receipt" },
    [
      [t("receiptId"), h("code", {}, r.id)],
      [t("receiptOrganisation"), organisation],
      [t("receiptCredential"), h("code", {}, r.credentialId)],
      [t("receiptWhen"), v.date(r.erasedAt, true)],
      [t("receiptWhy"), v.label(`erasureReason.${r.reason}`, r.reason)],
      // For the person it is given to: the organisation erased it (and which of its API keys, or its rule).
      [t("receiptBy"), `${organisation} (${erasedBy(v, r.erasedBy)})`],
    ].flatMap(([term, value]) => [h("dt", {}, term as string), h("dd", {}, value as Node | string)]),
  );
  const href = `data:application/json;charset=utf-8,${encodeURIComponent(`${JSON.stringify(r, null, 2)}\n`)}`;
  const print = h("button", { type: "button", class: "primary", id: "print-receipt" }, t("printReceipt"));
  print.addEventListener("click", () => window.print());
  replace(
    v.main,
    back("#/privacy", t("privacyTitle")),
    heading(v, t("receiptTitle")),
    h("p", { class: "lead" }, t("receiptLead")),
    facts,
    h("h2", {}, t("receiptDestroyed")),
    h(
      "ul",
      { id: "receipt-destroyed" },
      r.destroyed.map((item) => h("li", {}, v.label(`destroyed.${item}`, item))),
    ),
    h("p", {}, t("receiptKept")),
    h(
      "div",
      { class: "actions no-print" },
      print,
      h(
        "a",
        { class: "button", href, download: `${t("receiptFile")}-${r.id}.json`, id: "download-receipt" },
        t("downloadReceipt"),
      ),
    ),
  );
}
