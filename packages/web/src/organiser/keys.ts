// The organisation's own signing keys (admin API keys only; the service refuses others, and the page says so):
// each key with its status, its window on chain in words and which one is current; create a key (and, when the
// service cannot authorise it, the Safe batch the organisation's admin must send, with what to do), make one
// current, retire one, or declare one compromised (the consequence explained, revoking what it signed since a
// time offered). The log of every step below.

import { ApiError, api } from "./api";
import type { View } from "./context";
import { field, h, replace } from "./dom";
import { heading, problemList } from "./events";
import { confirmDialog } from "./person";

type KeyStatus = "created" | "authorising" | "active" | "retired" | "compromised";

export type OrganisationKey = {
  address: string;
  role: "signing" | "admin";
  custody: "service" | "external";
  status: KeyStatus;
  current: boolean;
  validFrom: number | null;
  validUntil: number | null;
  authorisationTxHash: string | null;
  removalTxHash: string | null;
  createdAt: string;
};

type Prepared = { to: string; data: string; value: "0"; safeBatch: Record<string, unknown> };
type AuditEntry = { at: string; key: string; action: string; actor: string; txHash: string | null };

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** The window in words: "from the start, no end date", "from 12 May 2026 10:00 until …". */
export function keyWindow(v: View, key: Pick<OrganisationKey, "validFrom" | "validUntil">): string {
  const from = key.validFrom
    ? v.t("keyFrom", { from: v.date(iso(key.validFrom), true) })
    : v.t("keyFromStart");
  const until = key.validUntil
    ? v.t("keyUntil", { until: v.date(iso(key.validUntil), true) })
    : v.t("keyNoEnd");
  return `${from}, ${until}`;
}

function tone(key: OrganisationKey): string {
  if (key.status === "active") return "ok";
  if (key.status === "compromised") return "bad";
  if (key.status === "retired") return "off";
  return "wait";
}

/** Unix seconds of a date input's day (its start, in the browser's time zone), or undefined when empty. */
function dayStart(input: HTMLInputElement): number | undefined {
  if (!input.value) return undefined;
  return Math.floor(new Date(`${input.value}T00:00`).getTime() / 1000);
}

/** A file the browser downloads: a data URL, as the page's policy allows no other origin. */
function download(name: string, value: unknown, label: string, id: string): HTMLAnchorElement {
  const href = `data:application/json;charset=utf-8,${encodeURIComponent(`${JSON.stringify(value, null, 2)}\n`)}`;
  return h("a", { class: "button primary", href, download: name, id }, label);
}

export async function keysPage(
  v: View,
  created?: { address: string; authorisation: Prepared },
): Promise<void> {
  const { t } = v;
  const head = [heading(v, t("keysTitle")), h("p", { class: "lead" }, t("keysLead"))];
  let keys: OrganisationKey[];
  try {
    keys = (await api<{ items: OrganisationKey[] }>("GET", "/v1/organisation/keys")).items;
  } catch (error) {
    // The service decides who may: an issuer key is refused (403), a service without a keyring cannot (501).
    if (error instanceof ApiError && (error.status === 403 || error.status === 501)) {
      replace(
        v.main,
        head[0],
        h(
          "p",
          { class: "note", id: "keys-refused", role: "status" },
          t(error.status === 403 ? "adminOnly" : "keysNoKeyring"),
        ),
      );
      return;
    }
    throw error;
  }
  const audit = (await api<{ items: AuditEntry[] }>("GET", "/v1/organisation/keys/audit")).items;
  replace(
    v.main,
    head,
    created ? preparedBox(v, created.address, created.authorisation) : null,
    keys.length === 0 ? h("p", { class: "empty", id: "keys-none" }, t("keysNone")) : keyTable(v, keys),
    createForm(v),
    h("h2", { id: "audit-title" }, t("auditTitle")),
    audit.length === 0 ? h("p", { class: "empty" }, t("auditNone")) : auditTable(v, audit),
  );
}

function keyTable(v: View, keys: OrganisationKey[]): HTMLElement {
  const { t } = v;
  const rows = keys.map((key) => {
    const actions = h("div", { class: "actions compact" });
    if (!key.current && ["created", "authorising", "active"].includes(key.status)) {
      actions.append(
        h(
          "button",
          {
            type: "button",
            class: "primary",
            "data-action": "current",
            onclick: () => void makeCurrent(v, key),
          },
          t("keyMakeCurrent"),
        ),
      );
    }
    if (!key.current && key.status === "active")
      actions.append(
        h(
          "button",
          { type: "button", "data-action": "retire", onclick: () => void retire(v, key) },
          t("keyRetire"),
        ),
      );
    if (key.status !== "compromised")
      actions.append(
        h(
          "button",
          {
            type: "button",
            class: "danger",
            "data-action": "compromised",
            onclick: () => void compromised(v, key),
          },
          t("keyCompromised"),
        ),
      );
    return h(
      "tr",
      { "data-key": key.address },
      h("th", { scope: "row" }, h("code", { class: "address" }, key.address)),
      h(
        "td",
        { "data-label": t("colStatus") },
        h("span", { class: `badge ${tone(key)}` }, t(`keyStatus.${key.status}`)),
        key.current ? h("span", { class: "current" }, ` ${t("keyCurrent")}`) : null,
      ),
      h("td", { "data-label": t("colWindow"), class: "window" }, keyWindow(v, key)),
      h("td", { "data-label": t("colActions") }, actions.childElementCount ? actions : null),
    );
  });
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "stack", id: "keys" },
      h("caption", { class: "visually-hidden" }, t("keysTitle")),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col" }, t("colKey")),
          h("th", { scope: "col" }, t("colStatus")),
          h("th", { scope: "col" }, t("colWindow")),
          h("th", { scope: "col" }, t("colActions")),
        ),
      ),
      h("tbody", {}, rows),
    ),
  );
}

function createForm(v: View): HTMLElement {
  const { t } = v;
  const from = h("input", { type: "date", name: "validFrom" });
  const until = h("input", { type: "date", name: "validUntil" });
  const makeCurrent = h("input", { type: "checkbox", id: "k-current", name: "makeCurrent" });
  makeCurrent.checked = true;
  const errors = h("div", { id: "create-key-errors" });
  const submit = h("button", { type: "submit", class: "primary", id: "create-key" }, t("createKey"));
  const form = h(
    "form",
    { id: "create-key-form", "aria-labelledby": "create-key-title" },
    h("h2", { id: "create-key-title" }, t("createKeyTitle")),
    h("p", { class: "lead" }, t("createKeyLead")),
    errors,
    h(
      "div",
      { class: "pair" },
      field("k-from", t("fieldValidFrom"), from, t("validFromHint")),
      field("k-until", t("fieldValidUntil"), until, t("validUntilHint")),
    ),
    h("div", { class: "check" }, makeCurrent, h("label", { for: "k-current" }, t("fieldMakeCurrent"))),
    h("div", { class: "actions" }, submit),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    replace(errors);
    const validFrom = dayStart(from);
    const validUntil = dayStart(until);
    submit.disabled = true;
    try {
      const answer = await api<{ key: OrganisationKey; authorisation: Prepared | null }>(
        "POST",
        "/v1/organisation/keys",
        {
          ...(validFrom !== undefined ? { validFrom } : {}),
          ...(validUntil !== undefined ? { validUntil } : {}),
          makeCurrent: makeCurrent.checked,
        },
      );
      const { key, authorisation } = answer;
      if (authorisation) {
        await keysPage(v, { address: key.address, authorisation });
        document.getElementById("prepared-title")?.focus();
        return;
      }
      v.notice(t(key.current ? "keyCreatedCurrent" : "keyCreated", { address: key.address }));
      await keysPage(v);
    } catch (error) {
      replace(errors, refusal(v, error));
      submit.disabled = false;
    }
  });
  return form;
}

/** A refusal in words: an admin key is needed (403), or what the service said. */
function refusal(v: View, error: unknown): HTMLElement {
  if (error instanceof ApiError && error.status === 403)
    return h(
      "div",
      { class: "problem", role: "alert", tabindex: -1 },
      h("p", {}, h("strong", {}, v.t("adminOnly"))),
    );
  return problemList(v, error);
}

function preparedBox(v: View, address: string, authorisation: Prepared): HTMLElement {
  const { t } = v;
  const chainId = String(authorisation.safeBatch.chainId ?? "");
  return h(
    "section",
    { class: "prepared", id: "prepared", "aria-labelledby": "prepared-title" },
    h("h2", { id: "prepared-title", tabindex: -1 }, t("preparedTitle")),
    h("p", {}, t("preparedText", { address })),
    h(
      "ol",
      {},
      h("li", {}, t("preparedStep1")),
      h("li", {}, t("preparedStep2", { chainId })),
      h("li", {}, t("preparedStep3")),
    ),
    h(
      "div",
      { class: "actions" },
      download(
        `intyg-authorise-${address}.json`,
        authorisation.safeBatch,
        t("preparedDownload"),
        "safe-batch",
      ),
    ),
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, t("preparedTo")),
      h("dd", {}, h("code", { class: "address" }, authorisation.to)),
      h("dt", {}, t("preparedData")),
      h("dd", {}, h("code", { class: "calldata" }, authorisation.data)),
    ),
  );
}

async function step(
  v: View,
  key: OrganisationKey,
  path: string,
  done: string,
  body?: unknown,
): Promise<void> {
  try {
    await api("POST", `/v1/organisation/keys/${key.address}/${path}`, body);
    v.notice(done);
    await keysPage(v);
  } catch (error) {
    replace(document.getElementById("failure")!, refusal(v, error));
    (document.getElementById("failure")?.firstElementChild as HTMLElement | null)?.focus();
  }
}

async function makeCurrent(v: View, key: OrganisationKey): Promise<void> {
  await step(v, key, "current", v.t("keyMadeCurrent", { address: key.address }));
}

async function retire(v: View, key: OrganisationKey): Promise<void> {
  const { t } = v;
  const ok = await confirmDialog(v, {
    id: "retire-dialog",
    title: t("retireTitle", { address: key.address }),
    body: [t("retireText1"), t("retireText2")],
    confirm: t("retireConfirm"),
    danger: true,
  });
  if (ok) await step(v, key, "retire", t("keyRetired", { address: key.address }));
}

/** "YYYY-MM-DDTHH:MM" of a moment, in the browser's time zone (what a datetime-local input takes). */
function localInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

async function compromised(v: View, key: OrganisationKey): Promise<void> {
  const { t } = v;
  const since = h("input", {
    type: "datetime-local",
    name: "since",
    required: true,
    value: localInput(new Date(Date.now() - 86_400_000)),
    max: localInput(new Date()),
  });
  const revoke = h("input", { type: "checkbox", id: "compromised-revoke", name: "revoke" });
  const ok = await confirmDialog(v, {
    id: "compromised-dialog",
    title: t("compromisedTitle", { address: key.address }),
    body: [
      t("compromisedText1"),
      t("compromisedText2"),
      field("compromised-since", t("compromisedSince"), since, t("compromisedSinceHint")),
      h("div", { class: "check" }, revoke, h("label", { for: "compromised-revoke" }, t("compromisedRevoke"))),
    ],
    confirm: t("compromisedConfirm"),
    danger: true,
  });
  if (!ok) return;
  const sinceDate = new Date(since.value);
  if (Number.isNaN(sinceDate.getTime())) return;
  try {
    const result = await api<{ credentials: string[]; revocationsRequested: number }>(
      "POST",
      `/v1/organisation/keys/${key.address}/compromised`,
      { since: sinceDate.toISOString(), revoke: revoke.checked },
    );
    const values = {
      address: key.address,
      count: v.number(result.credentials.length),
      since: v.date(sinceDate.toISOString(), true),
      requested: v.number(result.revocationsRequested),
    };
    v.notice(t(revoke.checked ? "keyCompromisedRevoked" : "keyCompromisedListed", values));
    await keysPage(v);
  } catch (error) {
    replace(document.getElementById("failure")!, refusal(v, error));
  }
}

function auditTable(v: View, entries: AuditEntry[]): HTMLElement {
  const { t } = v;
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "stack", id: "key-audit", "aria-labelledby": "audit-title" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col" }, t("colWhen")),
          h("th", { scope: "col" }, t("colKey")),
          h("th", { scope: "col" }, t("colAction")),
          h("th", { scope: "col" }, t("colActor")),
          h("th", { scope: "col" }, t("colTx")),
        ),
      ),
      h(
        "tbody",
        {},
        entries.map((entry) =>
          h(
            "tr",
            {},
            h("td", { "data-label": t("colWhen") }, v.date(entry.at, true)),
            h("td", { "data-label": t("colKey") }, h("code", { class: "address" }, entry.key)),
            h("td", { "data-label": t("colAction") }, v.label(`keyAudit.${entry.action}`, entry.action)),
            h("td", { "data-label": t("colActor") }, actorText(v, entry.actor)),
            h(
              "td",
              { "data-label": t("colTx") },
              entry.txHash ? h("code", { class: "hash" }, entry.txHash) : "",
            ),
          ),
        ),
      ),
    ),
  );
}

/** Who did it: an API key, the operator, or the service's worker. */
export function actorText(v: View, actor: string): string {
  const key = /^api-key:(.+)$/.exec(actor);
  if (key) return v.t("byApiKey", { id: key[1]! });
  return v.label(`actor.${actor}`, actor);
}
