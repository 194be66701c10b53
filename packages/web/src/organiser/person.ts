// One attendee's credential: what it says, where it stands, its e-mail; and what the organiser may do with it:
// send it again, revoke it (the name shown, a reason chosen, confirmed), re-issue it with corrections (a form
// with the current claims, the result shown before anything changes), erase the personal data (explained,
// confirmed).

import { api, idempotencyKey } from "./api";
import type { CredentialItem, EventRecord, View } from "./context";
import { field, h, replace, select } from "./dom";
import { back, heading, problemList } from "./events";
import { fieldLabel } from "./import";
import { deliveryKey, personOf, standingOf, stateOf, statusKey, statusTone } from "./status";

const REVOKE_REASONS = ["issuedInError", "withdrawn", "keyCompromise", "fraud", "other"] as const;
const ROLES = ["participant", "speaker", "organiser", "hackathon-team-member"] as const;
/** Claims the re-issue form edits as text; the parts are checkboxes. */
const TEXT_CLAIMS = ["name", "email", "organisation", "team", "birthDate"] as const;

function subjectOf(item: CredentialItem): Record<string, unknown> {
  const { type: _type, achievement: _achievement, ...claims } = item.credential?.credentialSubject ?? {};
  return claims;
}

/** A modal dialog that resolves true when confirmed; focus returns to where it was. */
export function confirmDialog(
  v: View,
  options: { id: string; title: string; body: (HTMLElement | string)[]; confirm: string; danger?: boolean },
): Promise<boolean> {
  const opener = document.activeElement as HTMLElement | null;
  const dialog = h(
    "dialog",
    { id: options.id, "aria-labelledby": `${options.id}-title` },
    h(
      "form",
      { method: "dialog" },
      h("h2", { id: `${options.id}-title` }, options.title),
      options.body.map((part) => (typeof part === "string" ? h("p", {}, part) : part)),
      h(
        "div",
        { class: "actions" },
        h("button", { value: "confirm", class: options.danger ? "danger" : "primary" }, options.confirm),
        h("button", { value: "cancel", formnovalidate: true }, v.t("cancel")),
      ),
    ),
  );
  document.body.appendChild(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      resolve(dialog.returnValue === "confirm");
      dialog.remove();
      opener?.focus();
    });
    dialog.showModal();
  });
}

export async function personPage(v: View, id: string): Promise<void> {
  const { t } = v;
  const item = await api<CredentialItem>("GET", `/v1/credentials/${id}`);
  const event = await api<EventRecord>("GET", `/v1/events/${item.eventId}`);
  const person = personOf(item);
  const name = person.name ?? t("noName");
  const subject = subjectOf(item);
  const state = stateOf(item);
  const standing = standingOf(item);

  const facts = h("dl", { class: "facts" });
  const fact = (term: string, value: Node | string | null | undefined) => {
    if (value) facts.append(h("dt", {}, term), h("dd", {}, value));
  };
  fact(
    t("colStatus"),
    h("span", { class: `badge ${statusTone(item)}`, id: "person-status" }, t(statusKey(item))),
  );
  if (item.revocation)
    fact(
      t("revokedBecause"),
      `${v.label(`reason.${item.revocation.reason}`, item.revocation.reason)} ${v.date(item.revocation.at ?? item.revocation.revokedAt, true)}`.trim(),
    );
  fact(t("claim.email"), person.email);
  fact(t("claim.reference"), person.reference);
  fact(t("claim.organisation"), subject.organisation as string | undefined);
  if (typeof subject.role === "string") fact(t("claim.role"), v.label(`role.${subject.role}`, subject.role));
  fact(t("claim.team"), subject.team as string | undefined);
  const parts = attendedParts(subject);
  if (parts.length)
    fact(
      t("claim.partsAttended"),
      parts.map((p) => event.details.parts?.find((part) => part.id === p)?.name ?? p).join(", "),
    );
  fact(t("colDelivery"), h("span", { id: "person-delivery" }, t(deliveryKey(item))));
  if (item.delivery?.lastError) fact(t("deliveryError"), item.delivery.lastError);
  if (item.delivery?.sentAt) fact(t("deliverySentAt"), v.date(item.delivery.sentAt, true));
  if (item.anchoredAt) fact(t("anchoredAt"), v.date(item.anchoredAt, true));
  fact(t("transaction"), item.txHash ? h("code", {}, item.txHash) : null);
  if (item.holderUrl)
    fact(
      t("holderLink"),
      h("a", { href: item.holderUrl, target: "_blank", rel: "noopener noreferrer" }, t("holderLinkText")),
    );
  if (item.supersededBy)
    fact(t("supersededBy"), h("a", { href: `#/credentials/${item.supersededBy}` }, t("openNew")));
  if (item.supersedes)
    fact(t("supersedes"), h("a", { href: `#/credentials/${item.supersedes}` }, t("openOld")));
  if (state === "erased")
    fact(t("receiptTitle"), h("a", { href: `#/erasures/${id}`, id: "receipt-link" }, t("openReceipt")));

  const status = h("p", { id: "person-notice", role: "status", class: "note" });
  const actions = h("div", { class: "actions", id: "person-actions" });
  const live = state !== "erased" && state !== "failed";
  const revocable = live && standing !== "revoked" && standing !== "superseded";

  if (live && v.caps.send) {
    const sendAgain = h("button", { type: "button", id: "send-again" }, t("sendAgain"));
    sendAgain.addEventListener("click", async () => {
      sendAgain.disabled = true;
      try {
        await api("POST", `/v1/credentials/${id}/send`, undefined, { "idempotency-key": idempotencyKey() });
        status.textContent = t("sendQueued", { name });
      } catch (error) {
        v.fail(error);
      } finally {
        sendAgain.disabled = false;
      }
    });
    actions.append(sendAgain);
  }
  if (revocable) {
    actions.append(
      h("a", { class: "button", href: `#/credentials/${id}/reissue`, id: "reissue" }, t("reissue")),
    );
    const revoke = h("button", { type: "button", id: "revoke", class: "danger" }, t("revoke"));
    revoke.addEventListener("click", async () => {
      const reason = select(
        REVOKE_REASONS.map((r) => ({ value: r, label: t(`reason.${r}`) })),
        "issuedInError",
        { name: "reason" },
      );
      const ok = await confirmDialog(v, {
        id: "revoke-dialog",
        title: t("revokeTitle", { name }),
        body: [t("revokeText"), field("revoke-reason", t("revokeReason"), reason)],
        confirm: t("revokeConfirm"),
        danger: true,
      });
      if (!ok) return;
      try {
        await api("POST", `/v1/credentials/${id}/revoke`, { reason: reason.value });
        v.notice(t("revoked", { name }));
        await personPage(v, id);
      } catch (error) {
        v.fail(error);
      }
    });
    actions.append(revoke);
  }
  if (state !== "erased") {
    const erase = h("button", { type: "button", id: "erase", class: "danger" }, t("erase"));
    erase.addEventListener("click", async () => {
      const ok = await confirmDialog(v, {
        id: "erase-dialog",
        title: t("eraseTitle", { name }),
        body: [t("eraseText1"), t("eraseText2"), t("eraseText3")],
        confirm: t("eraseConfirm"),
        danger: true,
      });
      if (!ok) return;
      try {
        await api("POST", `/v1/credentials/${id}/erase`);
        v.notice(t("erased"));
        await personPage(v, id);
      } catch (error) {
        v.fail(error);
      }
    });
    actions.append(erase);
  }

  replace(
    v.main,
    back(`#/events/${item.eventId}`, event.details.name),
    heading(v, state === "erased" ? t("erasedTitle") : name),
    facts,
    h("h2", {}, t("actionsTitle")),
    actions.childElementCount ? actions : h("p", { class: "note" }, t("noActions")),
    v.caps.send || !live ? null : h("p", { class: "note" }, t("sendUnavailable")),
    status,
  );
}

// -- re-issue ---------------------------------------------------------------------------------------------------

type ReissuePreview = { current: Record<string, unknown>; result: Record<string, unknown> };

export async function reissuePage(v: View, id: string): Promise<void> {
  const { t } = v;
  const item = await api<CredentialItem>("GET", `/v1/credentials/${id}`);
  const event = await api<EventRecord>("GET", `/v1/events/${item.eventId}`);
  const current = subjectOf(item);
  const name = personOf(item).name ?? t("noName");
  const head = [back(`#/credentials/${id}`, name), heading(v, t("reissueTitle", { name }))];
  if (!v.caps.reissuePreview) {
    replace(v.main, head, h("p", { class: "note", role: "status" }, t("reissueUnavailable")));
    return;
  }
  const inputs = new Map<string, HTMLInputElement>();
  const textFields = TEXT_CLAIMS.map((claim) => {
    const input = h("input", {
      name: claim,
      value: typeof current[claim] === "string" ? (current[claim] as string) : "",
      type: claim === "email" ? "email" : claim === "birthDate" ? "date" : "text",
      autocomplete: "off",
    });
    inputs.set(claim, input);
    return field(`r-${claim}`, fieldLabel(v, claim), input, claim === "name" ? undefined : t("emptyRemoves"));
  });
  const role = select(
    [{ value: "", label: t("noRole") }, ...ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))],
    (current.role as string | undefined) ?? "",
  );
  const attended = new Set(attendedParts(current));
  const partBoxes = (event.details.parts ?? []).map((part) => {
    const box = h("input", { type: "checkbox", id: `r-part-${part.id}`, value: part.id });
    box.checked = attended.has(part.id);
    return { part, box };
  });
  /** Only what changed: a corrected value, or null where a claim was emptied. */
  const changes = (): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [claim, input] of inputs) {
      const value = input.value.trim();
      const before = typeof current[claim] === "string" ? current[claim] : "";
      if (value !== before) out[claim] = value === "" ? null : value;
    }
    if (role.value !== ((current.role as string | undefined) ?? "")) out.role = role.value || null;
    const parts = partBoxes.filter((p) => p.box.checked).map((p) => p.part.id);
    const beforeParts = [...attended];
    if (partBoxes.length && (parts.length !== beforeParts.length || parts.some((p) => !attended.has(p))))
      out.partsAttended = parts.length ? parts : null;
    return out;
  };

  const reason = h("input", { name: "reason", maxlength: 500, autocomplete: "off" });
  const errorBox = h("div");
  const result = h("div", { id: "reissue-preview", "aria-live": "polite" });
  const form = h(
    "form",
    {},
    h("p", { class: "lead" }, t("reissueLead")),
    errorBox,
    textFields,
    field("r-role", t("claim.role"), role),
    partBoxes.length
      ? h(
          "fieldset",
          {},
          h("legend", {}, t("claim.partsAttended")),
          partBoxes.map(({ part, box }) =>
            h("div", { class: "check" }, box, h("label", { for: box.id }, part.name)),
          ),
        )
      : null,
    field("r-reason", t("reissueReasonLabel"), reason, t("reissueReasonHint")),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("previewButton"))),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    replace(errorBox);
    const body: Record<string, unknown> = { subject: changes() };
    if (reason.value.trim()) body.reason = reason.value.trim();
    try {
      const p = await api<ReissuePreview>("POST", `/v1/credentials/${id}/reissue`, {
        ...body,
        preview: true,
      });
      showPreview(p, body);
    } catch (error) {
      replace(errorBox, problemList(v, error));
    }
  });

  const showPreview = (p: ReissuePreview, body: Record<string, unknown>) => {
    const claims = [...new Set([...Object.keys(p.current), ...Object.keys(p.result)])].filter(
      (k) => k !== "type" && k !== "achievement",
    );
    const show = (claim: string, value: unknown) => {
      if (value === undefined || value === null) return "—";
      if (claim === "partsAttended" && Array.isArray(value))
        return value.map((id) => event.details.parts?.find((part) => part.id === id)?.name ?? id).join(", ");
      if (claim === "role" && typeof value === "string") return v.label(`role.${value}`, value);
      return typeof value === "object" ? JSON.stringify(value) : String(value);
    };
    const confirm = h(
      "button",
      { type: "button", class: "primary", id: "reissue-confirm" },
      t("reissueConfirm"),
    );
    confirm.addEventListener("click", async () => {
      confirm.disabled = true;
      try {
        const created = await api<{ id: string }>("POST", `/v1/credentials/${id}/reissue`, body, {
          "idempotency-key": idempotencyKey(),
        });
        v.notice(t("reissued", { name: show("name", p.result.name) }));
        v.go(`#/credentials/${created.id}`);
      } catch (error) {
        confirm.disabled = false;
        replace(errorBox, problemList(v, error));
      }
    });
    replace(
      result,
      h("h2", { id: "compare-title", tabindex: -1 }, t("reissuePreviewTitle")),
      h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          { "aria-labelledby": "compare-title" },
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              h("th", { scope: "col" }, t("colClaim")),
              h("th", { scope: "col" }, t("colNow")),
              h("th", { scope: "col" }, t("colAfter")),
            ),
          ),
          h(
            "tbody",
            {},
            claims.map((claim) => {
              const before = show(claim, p.current[claim]);
              const after = show(claim, p.result[claim]);
              return h(
                "tr",
                { class: before === after ? "" : "changed" },
                h("th", { scope: "row" }, fieldLabel(v, claim)),
                h("td", {}, before),
                h(
                  "td",
                  {},
                  after,
                  before === after ? "" : h("span", { class: "visually-hidden" }, ` (${t("changed")})`),
                ),
              );
            }),
          ),
        ),
      ),
      h("p", { class: "note" }, t("reissueWarning")),
      h("div", { class: "actions" }, confirm),
    );
    (result.querySelector("h2") as HTMLElement).focus();
  };

  replace(v.main, head, form, result);
}

/**
 * The parts a credential names, as the event's short part ids: the document writes each as a URL of the
 * achievement (`<achievement id>#<part id>`), the API and the event's details as the part id alone.
 */
function attendedParts(subject: Record<string, unknown>): string[] {
  if (!Array.isArray(subject.partsAttended)) return [];
  return (subject.partsAttended as unknown[])
    .filter((id): id is string => typeof id === "string")
    .map((id) => {
      const hash = id.lastIndexOf("#");
      return hash === -1 ? id : decodeURIComponent(id.slice(hash + 1));
    });
}
