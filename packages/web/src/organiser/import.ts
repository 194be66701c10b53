// Importing attendees from a spreadsheet (CSV or .xlsx): choose the file, map its columns to claims (or ignore
// them), look at the first rows as they would be issued and at every bad row with its line and reason, exclude
// rows or fix the file and choose it again, then issue. Nothing is kept by the service between these steps: the
// file is sent with each preview. Then the progress of this import, polled until every credential is anchored.

import { ApiError, api, idempotencyKey } from "./api";
import type { EventRecord, View } from "./context";
import { field, h, replace, select } from "./dom";
import { back, heading, problemList } from "./events";
import type { Key } from "./texts";

type Column = { header: string; field: string | null };

/** The header row of the sheet: its problems are solved in the column list, not by leaving a row out. */
const HEADER_LINE = 1;
const UNDECIDED = "?";
type RowError = { line: number; column: string | null; reason: string };
type Preview = {
  columns: Column[];
  fields: string[];
  rows: number;
  valid: number;
  preview: { subject?: Record<string, unknown>; reference?: string }[];
  errors: RowError[];
  notes?: string[];
};

/** Field names the app can say in words; others are shown as they are. */
const FIELD_KEYS: Record<string, Key> = {
  name: "claim.name",
  firstName: "claim.firstName",
  lastName: "claim.lastName",
  email: "claim.email",
  organisation: "claim.organisation",
  role: "claim.role",
  team: "claim.team",
  birthDate: "claim.birthDate",
  parts: "claim.partsAttended",
  partsAttended: "claim.partsAttended",
  reference: "claim.reference",
  wallet: "claim.holder",
  holder: "claim.holder",
  validUntil: "claim.validUntil",
  result: "claim.result",
  lang: "claim.lang",
};

export function fieldLabel(v: View, name: string): string {
  const key = FIELD_KEYS[name];
  return key ? v.t(key) : name;
}

function display(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (Array.isArray(value)) return value.map(display).join(", ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

export async function importPage(v: View, eventId: string): Promise<void> {
  const { t } = v;
  const event = await api<EventRecord>("GET", `/v1/events/${eventId}`);
  const head = [back(`#/events/${eventId}`, event.details.name), heading(v, t("importTitle"))];
  if (!v.caps.import) {
    replace(v.main, head, h("p", { class: "note", role: "status" }, t("importUnavailable")));
    return;
  }
  const file = h("input", {
    type: "file",
    name: "file",
    accept: ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  });
  const send = h("input", { type: "checkbox", id: "send", name: "send" });
  send.checked = true;
  const errorBox = h("div", { id: "import-errors" });
  const result = h("div", { id: "import-preview", "aria-live": "polite" });
  /** The organiser's own choices per column header (null: ignore); other columns keep the suggestion. */
  const chosen = new Map<string, string | null>();
  const excluded = new Set<number>();
  /** Bad rows seen in this file: an excluded row stays listed (to include it again) if the service omits it. */
  const seen = new Map<number, RowError>();

  const form = (extra: Record<string, string> = {}) => {
    const data = new FormData();
    data.set("file", file.files![0]!);
    if (chosen.size) data.set("mapping", JSON.stringify(Object.fromEntries(chosen)));
    if (excluded.size) data.set("exclude", JSON.stringify([...excluded].sort((a, b) => a - b)));
    for (const [name, value] of Object.entries(extra)) data.set(name, value);
    return data;
  };

  const preview = async () => {
    replace(errorBox);
    if (!file.files?.length) {
      replace(errorBox, h("p", { class: "problem", role: "alert" }, t("chooseFileFirst")));
      return;
    }
    try {
      const p = await api<Preview>("POST", `/v1/events/${eventId}/imports/preview`, form());
      // Choices made for a previous file whose columns this one does not have are dropped.
      const headers = new Set(p.columns.map((c) => c.header));
      const stale = [...chosen.keys()].filter((header) => !headers.has(header));
      if (stale.length) {
        for (const header of stale) chosen.delete(header);
        return preview();
      }
      render(p);
    } catch (error) {
      replace(result);
      replace(errorBox, problemList(v, error));
    }
  };

  const render = (p: Preview) => {
    for (const e of p.errors) if (!seen.has(e.line)) seen.set(e.line, e);
    const errors = [
      ...p.errors,
      ...[...excluded]
        .filter((line) => !p.errors.some((e) => e.line === line))
        .flatMap((line) => seen.get(line) ?? []),
    ].sort((a, b) => a.line - b.line);
    const blocking = errors.filter((e) => !excluded.has(e.line));
    const fieldOptions = [
      { value: "", label: t("ignoreColumn") },
      ...p.fields.map((name) => ({ value: name, label: fieldLabel(v, name) })),
    ];
    const mappingRows = p.columns.map((column, i) => {
      // A column the service cannot place is neither read nor ignored until the organiser says which.
      const undecided = column.field === null && !chosen.has(column.header);
      const control = select(
        undecided ? [{ value: UNDECIDED, label: t("chooseColumn") }, ...fieldOptions] : fieldOptions,
        undecided ? UNDECIDED : (column.field ?? ""),
        {
          id: `map-${i}`,
          ...(undecided ? { "aria-invalid": "true", "aria-describedby": `map-${i}-why` } : {}),
        },
      );
      control.addEventListener("change", () => {
        if (control.value === UNDECIDED) chosen.delete(column.header);
        else chosen.set(column.header, control.value || null);
        void preview().then(() => document.getElementById(`map-${i}`)?.focus());
      });
      return h(
        "tr",
        {},
        h("th", { scope: "row" }, h("label", { for: `map-${i}` }, column.header)),
        h(
          "td",
          {},
          control,
          undecided ? h("p", { id: `map-${i}-why`, class: "hint" }, t("unknownColumn")) : null,
        ),
      );
    });
    // The claims as they will be issued (first and last name already joined, parts as ids).
    const shownFields = [...new Set(p.preview.flatMap((a) => Object.keys(a.subject ?? {})))];
    if (p.preview.some((a) => a.reference)) shownFields.push("reference");
    const cell = (name: string, value: unknown) => {
      if (name === "partsAttended" && Array.isArray(value))
        return value.map((id) => event.details.parts?.find((part) => part.id === id)?.name ?? id).join(", ");
      if (name === "role" && typeof value === "string") return v.label(`role.${value}`, value);
      return display(value);
    };
    const previewRows = p.preview.map((attendee) =>
      h(
        "tr",
        {},
        shownFields.map((name) =>
          h("td", {}, cell(name, name === "reference" ? attendee.reference : attendee.subject?.[name])),
        ),
      ),
    );
    const errorRows = errors.map((e, i) => {
      // One checkbox per line (a line may have several problems); the header line cannot be left out.
      const first = errors.findIndex((other) => other.line === e.line) === i;
      let control: HTMLElement | string = "";
      if (e.line === HEADER_LINE) control = t("chooseAbove");
      else if (first) {
        const box = h("input", { type: "checkbox", id: `exclude-${e.line}`, value: String(e.line) });
        box.checked = excluded.has(e.line);
        box.addEventListener("change", () => {
          if (box.checked) excluded.add(e.line);
          else excluded.delete(e.line);
          // The service counts again what would be issued without the excluded rows.
          void preview().then(() => document.getElementById(`exclude-${e.line}`)?.focus());
        });
        control = h(
          "div",
          { class: "check" },
          box,
          h("label", { for: `exclude-${e.line}` }, t("excludeLine", { line: e.line })),
        );
      }
      return h(
        "tr",
        {},
        h("td", { class: "num" }, String(e.line)),
        h("td", {}, e.column ?? ""),
        h("td", {}, e.reason),
        h("td", {}, control),
      );
    });
    const issuable = p.valid;
    const issue = h(
      "button",
      { type: "button", class: "primary", id: "issue", disabled: blocking.length > 0 || issuable === 0 },
      t("issueN", { n: v.number(issuable) }),
    );
    const key = idempotencyKey();
    issue.addEventListener("click", async () => {
      issue.disabled = true;
      try {
        const answer = await api<{ job: string | { id: string } }>(
          "POST",
          `/v1/events/${eventId}/imports`,
          form({ send: send.checked ? "true" : "false" }),
          { "idempotency-key": key },
        );
        const job = typeof answer.job === "string" ? answer.job : answer.job.id;
        v.go(`#/events/${eventId}/jobs/${job}${send.checked ? "?send=1" : ""}`);
      } catch (error) {
        issue.disabled = false;
        replace(errorBox, problemList(v, error));
        if (error instanceof ApiError && error.status === 422) preview();
      }
    });

    replace(
      result,
      h("h2", { id: "mapping-title" }, t("mappingTitle")),
      h("p", { class: "hint" }, t("mappingLead")),
      h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          { "aria-labelledby": "mapping-title" },
          h(
            "thead",
            {},
            h("tr", {}, h("th", { scope: "col" }, t("colColumn")), h("th", { scope: "col" }, t("colField"))),
          ),
          h("tbody", {}, mappingRows),
        ),
      ),
      h(
        "p",
        { class: "summary", id: "import-summary" },
        t("importSummary", {
          rows: v.number(p.rows),
          valid: v.number(p.valid),
          // Rows, not problems: a column's problem (on the header, line 1) is listed below but is not a row.
          errors: v.number(new Set(p.errors.filter((e) => e.line > 1).map((e) => e.line)).size),
        }),
      ),
      p.notes?.length
        ? h(
            "ul",
            { class: "notes" },
            p.notes.map((note) => h("li", {}, note)),
          )
        : null,
      h("h2", { id: "preview-title" }, t("previewTitle", { n: p.preview.length })),
      h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          { "aria-labelledby": "preview-title", id: "preview-rows" },
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              shownFields.map((name) => h("th", { scope: "col" }, fieldLabel(v, name))),
            ),
          ),
          h("tbody", {}, previewRows),
        ),
      ),
      errors.length > 0
        ? [
            h("h2", { id: "errors-title" }, t("errorsTitle", { n: errors.length })),
            h("p", { class: "hint" }, t("errorsLead")),
            h(
              "div",
              { class: "table-wrap" },
              h(
                "table",
                { "aria-labelledby": "errors-title", id: "row-errors" },
                h(
                  "thead",
                  {},
                  h(
                    "tr",
                    {},
                    h("th", { scope: "col", class: "num" }, t("colLine")),
                    h("th", { scope: "col" }, t("colColumn")),
                    h("th", { scope: "col" }, t("colReason")),
                    h("th", { scope: "col" }, t("colExclude")),
                  ),
                ),
                h("tbody", {}, errorRows),
              ),
            ),
          ]
        : h("p", { class: "ok-note" }, t("noRowErrors")),
      h("h2", {}, t("issueTitle")),
      h("div", { class: "check" }, send, h("label", { for: "send" }, t("sendOnAnchor"))),
      blocking.length > 0
        ? h("p", { class: "note", id: "blocking" }, t("blocking", { n: blocking.length }))
        : null,
      h("div", { class: "actions" }, issue),
    );
  };

  file.addEventListener("change", () => {
    excluded.clear();
    seen.clear();
    preview();
  });
  replace(
    v.main,
    head,
    h("p", { class: "lead" }, t("importLead")),
    h(
      "form",
      {
        onsubmit: (e: Event) => {
          e.preventDefault();
          void preview();
        },
      },
      field("import-file", t("fileLabel"), file, t("fileHint")),
      h("div", { class: "actions" }, h("button", { type: "submit" }, t("previewButton"))),
    ),
    errorBox,
    result,
  );
}

// -- progress ---------------------------------------------------------------------------------------------------

type Progress = {
  status?: string;
  total?: number;
  pending?: number;
  anchored?: number;
  failed?: number;
  delivery?: { queued?: number; sent?: number; failed?: number };
  progress?: Omit<Progress, "progress">;
};

export async function progressPage(v: View, eventId: string, jobId: string, sending: boolean): Promise<void> {
  const { t } = v;
  const bar = h("progress", { id: "anchor-progress", max: 1, value: 0, "aria-labelledby": "progress-label" });
  const label = h("p", { id: "progress-label" }, t("progressStarting"));
  const detail = h("p", { id: "progress-detail", class: "note" });
  const mail = h("p", { id: "progress-mail", class: "note" });
  const done = h("p", { id: "progress-done", role: "status" });
  replace(
    v.main,
    back(`#/events/${eventId}`, t("backToEvent")),
    heading(v, t("progressTitle")),
    h("p", { class: "lead" }, t("progressLead")),
    label,
    bar,
    detail,
    sending ? mail : null,
    done,
    h("p", {}, h("a", { href: `#/events/${eventId}` }, t("toAttendees"))),
  );
  const started = location.hash;
  for (;;) {
    if (location.hash !== started) return; // the organiser went elsewhere
    const job = await api<Progress>("GET", `/v1/jobs/${jobId}`);
    const p = { ...job, ...job.progress };
    const total = p.total ?? 0;
    const anchored = p.anchored ?? 0;
    const failed = p.failed ?? 0;
    if (total > 0) {
      bar.max = total;
      bar.value = anchored + failed;
      label.textContent = t("progressAnchored", { n: v.number(anchored), total: v.number(total) });
      detail.textContent = t("progressDetail", {
        pending: v.number(p.pending ?? 0),
        failed: v.number(failed),
      });
    }
    const d = p.delivery ?? {};
    if (sending)
      mail.textContent = t("progressMail", {
        sent: v.number(d.sent ?? 0),
        queued: v.number(d.queued ?? 0),
        failed: v.number(d.failed ?? 0),
      });
    const finished = p.status === "failed" || (total > 0 && (p.pending ?? total - anchored - failed) === 0);
    if (finished) {
      done.textContent =
        p.status === "failed"
          ? t("progressJobFailed")
          : failed > 0
            ? t("progressDoneWithFailures", { n: v.number(anchored), failed: v.number(failed) })
            : t("progressDone", { n: v.number(anchored) });
      done.className = failed > 0 || p.status === "failed" ? "problem" : "ok-note";
      document.body.dataset.progress = "done";
      if (!sending || (d.queued ?? 0) === 0) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
