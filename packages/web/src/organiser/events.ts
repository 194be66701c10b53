// Conferences and courses: the list, the form that creates or edits one (parts of a conference; hours, credits,
// outcomes, skills and assessment of a course), and a conference's own page with its attendees.

import { CREDENTIAL_STANDINGS, CREDENTIAL_STATES, DELIVERY_STATUSES } from "@intyg/credential/status";
import { ApiError, api } from "./api";
import type { CredentialItem, EventDetails, EventPart, EventRecord, Page, View } from "./context";
import { field, h, replace, select } from "./dom";
import { deliveryKey, personOf, statusKey, statusTone } from "./status";
import type { Key } from "./texts";

const PART_KINDS = ["networking", "seminar", "session", "hackathon", "workshop", "other"] as const;

export function heading(_v: View, text: string): HTMLHeadingElement {
  document.title = `${text} – Intyg`;
  return h("h1", { tabindex: -1 }, text);
}

export function back(href: string, text: string): HTMLParagraphElement {
  return h("p", { class: "back" }, h("a", { href }, `← ${text}`));
}

function dates(v: View, details: EventDetails): string {
  if (!details.startDate) return "";
  const start = v.date(details.startDate);
  const end = details.endDate && details.endDate !== details.startDate ? v.date(details.endDate) : "";
  return end ? `${start} – ${end}` : start;
}

// -- the list ---------------------------------------------------------------------------------------------------

export async function eventList(v: View): Promise<void> {
  const { t } = v;
  const page = await api<Page<EventRecord>>("GET", "/v1/events?limit=200");
  const top = page.items.filter((event) => !event.parentId);
  const rows = top.map((event) =>
    h(
      "tr",
      {},
      h("th", { scope: "row" }, h("a", { href: `#/events/${event.id}` }, event.details.name)),
      h("td", {}, t(event.kind === "course" ? "kind.course" : "kind.event")),
      h("td", {}, event.kind === "course" ? "" : dates(v, event.details)),
      h("td", { class: "num" }, v.number(issuedCount(event))),
      h("td", {}, t(`event.${event.status}`)),
    ),
  );
  replace(
    v.main,
    heading(v, t("eventsTitle")),
    h("p", { class: "lead" }, t("eventsLead")),
    h(
      "div",
      { class: "actions" },
      h("a", { class: "button primary", href: "#/new/event" }, t("newEvent")),
      h("a", { class: "button", href: "#/new/course" }, t("newCourse")),
    ),
    top.length === 0
      ? h("p", { class: "empty" }, t("noEvents"))
      : h(
          "div",
          { class: "table-wrap" },
          h(
            "table",
            {},
            h("caption", { class: "visually-hidden" }, t("eventsTitle")),
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                h("th", { scope: "col" }, t("colName")),
                h("th", { scope: "col" }, t("colKind")),
                h("th", { scope: "col" }, t("colDates")),
                h("th", { scope: "col", class: "num" }, t("colCredentials")),
                h("th", { scope: "col" }, t("colRegistry")),
              ),
            ),
            h("tbody", {}, rows),
          ),
        ),
  );
}

function issuedCount(event: EventRecord): number {
  const counts = event.counts?.state ?? event.credentials ?? {};
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

// -- the form ---------------------------------------------------------------------------------------------------

function slug(name: string, taken: Set<string>): string {
  const base =
    name
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 40) || "del";
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

function lines(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
}

/** Problem details as a list the organiser can act on: what is wrong, field by field. */
export function problemList(v: View, error: unknown): HTMLElement {
  const problem = error instanceof ApiError ? error.problem : null;
  const issues = problem?.errors ?? [];
  return h(
    "div",
    { class: "problem", role: "alert", tabindex: -1 },
    h("p", {}, h("strong", {}, problem ? problem.detail || problem.title : v.t("failedGeneric"))),
    issues.length > 0
      ? h(
          "ul",
          {},
          issues.map((issue) => h("li", {}, `${issue.path || "/"}: ${issue.message}`)),
        )
      : null,
  );
}

export async function eventForm(v: View, kind: "event" | "course", id?: string): Promise<void> {
  const { t } = v;
  const existing = id ? await api<EventRecord>("GET", `/v1/events/${id}`) : null;
  const isCourse = (existing?.kind ?? kind) === "course";
  const d: EventDetails = existing?.details ?? { name: "" };
  const errorBox = h("div", { id: "form-errors" });
  const input = (name: string, value: string | number | undefined, attributes = {}) =>
    h("input", { name, value: value ?? "", autocomplete: "off", ...attributes });
  const name = input("name", d.name, { required: true, maxlength: 300 });
  const description = h("textarea", { name: "description", rows: 3, maxlength: 5000 }, d.description ?? "");
  const common = [
    field("f-name", t("fieldName"), name),
    field("f-description", t("fieldDescription"), description, t("optional")),
  ];
  const partRows = h("ol", { class: "parts" });
  const usedIds = new Set<string>((d.parts ?? []).map((part) => part.id));
  let partCounter = 0;
  const addPart = (part?: EventPart) => {
    const n = ++partCounter;
    const row = h("li", { class: "part", "data-part-id": part?.id ?? "" });
    const partName = input(`part-name-${n}`, part?.name, { required: true, maxlength: 300 });
    const partKind = select(
      PART_KINDS.map((k) => ({ value: k, label: t(`part.${k}`) })),
      part?.kind ?? "seminar",
    );
    const partDate = input(`part-date-${n}`, part?.date?.slice(0, 10), { type: "date" });
    const remove = h(
      "button",
      { type: "button", class: "link", onclick: () => row.remove() },
      t("removePart", { n }),
    );
    replace(
      row,
      h(
        "fieldset",
        {},
        h("legend", {}, t("partN", { n })),
        field(`f-part-name-${n}`, t("partName"), partName),
        field(`f-part-kind-${n}`, t("partKind"), partKind),
        field(`f-part-date-${n}`, t("partDate"), partDate, t("optional")),
        remove,
      ),
    );
    partRows.appendChild(row);
    return partName;
  };
  for (const part of d.parts ?? []) addPart(part);

  let specific: HTMLElement[];
  let details: () => EventDetails;
  if (isCourse) {
    const hours = input("hours", d.hours, { type: "number", min: 0, step: "0.5", inputmode: "decimal" });
    const credits = input("credits", d.credits, {
      type: "number",
      min: 0,
      step: "0.5",
      inputmode: "decimal",
    });
    const outcomes = h("textarea", { name: "outcomes", rows: 4 }, (d.learningOutcomes ?? []).join("\n"));
    const skills = h("textarea", { name: "skills", rows: 3 }, (d.skills ?? []).map((s) => s.name).join("\n"));
    const assessment = input("assessment", d.assessment, { maxlength: 2000 });
    specific = [
      field("f-hours", t("fieldHours"), hours, t("optional")),
      field("f-credits", t("fieldCredits"), credits, t("creditsHint")),
      field("f-outcomes", t("fieldOutcomes"), outcomes, t("onePerLine")),
      field("f-skills", t("fieldSkills"), skills, t("onePerLineSkills")),
      field("f-assessment", t("fieldAssessment"), assessment, t("optional")),
    ];
    details = () => {
      const out: EventDetails = { name: name.value.trim() };
      if (description.value.trim()) out.description = description.value.trim();
      if (hours.value) out.hours = Number(hours.value);
      if (credits.value) out.credits = Number(credits.value);
      if (lines(outcomes.value).length) out.learningOutcomes = lines(outcomes.value);
      const known = new Map((d.skills ?? []).map((s) => [s.name, s]));
      if (lines(skills.value).length)
        out.skills = lines(skills.value).map((skill) => known.get(skill) ?? { name: skill });
      if (assessment.value.trim()) out.assessment = assessment.value.trim();
      return out;
    };
  } else {
    const start = input("startDate", d.startDate?.slice(0, 10), { type: "date", required: true });
    const end = input("endDate", d.endDate?.slice(0, 10), { type: "date", required: true });
    const location = input("location", d.location, { maxlength: 500 });
    specific = [
      h(
        "div",
        { class: "pair" },
        field("f-start", t("fieldStart"), start),
        field("f-end", t("fieldEnd"), end),
      ),
      field("f-location", t("fieldLocation"), location, t("optional")),
      h(
        "section",
        { "aria-labelledby": "parts-title" },
        h("h2", { id: "parts-title" }, t("partsTitle")),
        h("p", { class: "hint" }, t("partsLead")),
        partRows,
        h("button", { type: "button", id: "add-part", onclick: () => addPart().focus() }, t("addPart")),
      ),
    ];
    details = () => {
      const out: EventDetails = { name: name.value.trim(), startDate: start.value, endDate: end.value };
      if (description.value.trim()) out.description = description.value.trim();
      if (location.value.trim()) out.location = location.value.trim();
      const taken = new Set(usedIds);
      const parts = Array.from(partRows.querySelectorAll<HTMLLIElement>("li.part")).map((row) => {
        const [partName, partDate] = Array.from(row.querySelectorAll<HTMLInputElement>("input"));
        const partKind = row.querySelector("select")!;
        const part: EventPart = {
          id: row.dataset.partId || slug(partName!.value, taken),
          name: partName!.value.trim(),
          kind: partKind.value,
        };
        if (partDate!.value) part.date = partDate!.value;
        return part;
      });
      if (parts.length) out.parts = parts;
      return out;
    };
  }

  const form = h(
    "form",
    { novalidate: false },
    errorBox,
    common,
    specific,
    h(
      "div",
      { class: "actions" },
      h("button", { type: "submit", class: "primary" }, t(existing ? "save" : "create")),
      h("a", { class: "button", href: existing ? `#/events/${existing.id}` : "#/" }, t("cancel")),
    ),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const submit = form.querySelector<HTMLButtonElement>("button[type=submit]")!;
    submit.disabled = true;
    try {
      const body = details();
      const saved = existing
        ? await api<EventRecord>("PATCH", `/v1/events/${existing.id}`, { details: body })
        : await api<EventRecord>("POST", "/v1/events", {
            kind: isCourse ? "course" : "event",
            details: body,
          });
      v.notice(t("saved", { name: saved.details.name }));
      v.go(`#/events/${saved.id}`);
    } catch (error) {
      replace(errorBox, problemList(v, error));
      (errorBox.firstElementChild as HTMLElement | null)?.focus();
    } finally {
      submit.disabled = false;
    }
  });
  const title = existing
    ? t("editTitle", { name: existing.details.name })
    : t(isCourse ? "newCourse" : "newEvent");
  replace(
    v.main,
    back(existing ? `#/events/${existing.id}` : "#/", t("backToList")),
    heading(v, title),
    form,
  );
}

// -- one conference and its attendees ---------------------------------------------------------------------------

const STATE_FILTERS = ["", ...CREDENTIAL_STATES] as const;
const STANDING_FILTERS = ["", ...CREDENTIAL_STANDINGS] as const;
// An e-mail being sent is shown among the queued ones.
const DELIVERY_FILTERS = ["", ...DELIVERY_STATUSES.filter((s) => s !== "sending")] as const;

export async function eventPage(v: View, id: string): Promise<void> {
  const { t } = v;
  const event = await api<EventRecord>("GET", `/v1/events/${id}`);
  const d = event.details;
  const facts = h("dl", { class: "facts" });
  const fact = (term: string, value: string | undefined) => {
    if (value) facts.append(h("dt", {}, term), h("dd", {}, value));
  };
  fact(t("colKind"), t(event.kind === "course" ? "kind.course" : "kind.event"));
  if (event.kind === "event") fact(t("colDates"), dates(v, d));
  fact(t("fieldLocation"), d.location);
  if (d.hours) fact(t("fieldHours"), v.number(d.hours));
  if (d.credits) fact(t("fieldCredits"), v.number(d.credits));
  if (d.assessment) fact(t("fieldAssessment"), d.assessment);
  fact(t("colRegistry"), t(`event.${event.status}`));
  const parts = d.parts?.length
    ? h(
        "ul",
        { class: "part-list" },
        d.parts.map((part) =>
          h(
            "li",
            {},
            `${part.name} (${v.label(`part.${part.kind}`, part.kind)}${part.date ? `, ${v.date(part.date)}` : ""})`,
          ),
        ),
      )
    : null;

  const actions = h(
    "div",
    { class: "actions" },
    v.caps.import
      ? h("a", { class: "button primary", href: `#/events/${id}/import` }, t("importAttendees"))
      : h(
          "button",
          { type: "button", class: "primary", disabled: true, "aria-describedby": "no-import" },
          t("importAttendees"),
        ),
    h("a", { class: "button", href: `#/events/${id}/edit` }, t("edit")),
    v.caps.export
      ? h(
          "a",
          { class: "button", href: `/v1/events/${id}/export.csv?lang=${v.lang}`, download: "" },
          t("export"),
        )
      : null,
  );
  const unavailable = [
    v.caps.import ? null : h("p", { id: "no-import", class: "note" }, t("importUnavailable")),
    v.caps.export ? null : h("p", { class: "note" }, t("exportUnavailable")),
  ];

  const sendAll = h(
    "section",
    { "aria-labelledby": "send-title" },
    h("h2", { id: "send-title" }, t("sendTitle")),
  );
  if (v.caps.deliveries) {
    const button = h("button", { type: "button", id: "send-unsent" }, t("sendUnsent"));
    const result = h("p", { class: "note", role: "status" });
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        const answer = await api<{ queued: number }>("POST", `/v1/events/${id}/deliveries`, {
          scope: "unsent",
        });
        result.textContent = t("queued", { n: v.number(answer.queued) });
      } catch (error) {
        v.fail(error);
      } finally {
        button.disabled = false;
      }
    });
    sendAll.append(h("p", {}, t("sendLead")), button, result);
  } else sendAll.append(h("p", { class: "note" }, t("sendUnavailable")));

  const list = attendeeList(v, event);
  replace(
    v.main,
    back("#/", t("backToList")),
    heading(v, d.name),
    d.description ? h("p", { class: "lead" }, d.description) : null,
    facts,
    parts ? h("h2", {}, t("partsTitle")) : null,
    parts,
    counts(v, event),
    actions,
    unavailable,
    list,
    sendAll,
  );
  await (list as HTMLElement & { load(): Promise<void> }).load();
}

function counts(v: View, event: EventRecord): HTMLElement | null {
  const { t } = v;
  const c = event.counts;
  if (!c) return null;
  const items: HTMLElement[] = [];
  const add = (key: Key, n: number | undefined) => {
    if (n) items.push(h("li", {}, h("strong", {}, v.number(n)), " ", t(key)));
  };
  add("state.pending", c.state?.pending);
  add("standing.valid", c.standing?.valid);
  add("standing.revoked", c.standing?.revoked);
  add("standing.superseded", c.standing?.superseded);
  add("state.failed", c.state?.failed);
  add("state.erased", c.state?.erased);
  add("delivery.sent", c.delivery?.sent);
  add("delivery.queued", c.delivery?.queued);
  add("delivery.failed", c.delivery?.failed);
  return items.length ? h("ul", { class: "counts", "aria-label": t("countsLabel") }, items) : null;
}

function attendeeList(v: View, event: EventRecord): HTMLElement {
  const { t } = v;
  const id = event.id;
  const q = h("input", { type: "search", name: "q", autocomplete: "off", maxlength: 200 });
  const filters = v.caps.filters
    ? {
        state: select(
          STATE_FILTERS.map((s) => ({ value: s, label: s ? t(`state.${s}`) : t("all") })),
          "",
        ),
        standing: select(
          STANDING_FILTERS.map((s) => ({ value: s, label: s ? t(`standing.${s}`) : t("all") })),
          "",
        ),
        delivery: select(
          DELIVERY_FILTERS.map((s) => ({ value: s, label: s ? t(`delivery.${s}`) : t("all") })),
          "",
        ),
      }
    : null;
  const body = h("tbody");
  const summary = h("p", { id: "attendee-summary", role: "status", class: "note" });
  const more = h("button", { type: "button", hidden: true }, t("showMore"));
  let cursor: string | null = null;
  let shown = 0;

  const row = (item: CredentialItem) => {
    const person = personOf(item);
    return h(
      "tr",
      {},
      h("th", { scope: "row" }, h("a", { href: `#/credentials/${item.id}` }, person.name ?? t("noName"))),
      h("td", { class: "wrap", "data-label": t("colEmail") }, person.email ?? ""),
      h("td", { "data-label": t("colReference") }, person.reference ?? ""),
      h(
        "td",
        { "data-label": t("colStatus") },
        h("span", { class: `badge ${statusTone(item)}` }, t(statusKey(item))),
      ),
      h("td", { "data-label": t("colDelivery") }, item.delivery ? t(deliveryKey(item)) : "—"),
    );
  };

  const load = async (append = false) => {
    const params = new URLSearchParams({ limit: "50" });
    if (append && cursor) params.set("cursor", cursor);
    if (q.value.trim() && v.caps.filters) params.set("q", q.value.trim());
    if (filters) {
      for (const [name, control] of Object.entries(filters))
        if (control.value) params.set(name, control.value);
    }
    const page = await api<Page<CredentialItem>>("GET", `/v1/events/${id}/credentials?${params}`);
    let items = page.items;
    // Without the service's search, search the rows fetched here (the names the list already shows).
    if (!v.caps.filters && q.value.trim()) {
      const needle = q.value.trim().toLowerCase();
      items = items.filter((item) =>
        Object.values(personOf(item)).some((value) => value?.toLowerCase().includes(needle)),
      );
    }
    if (!append) {
      body.replaceChildren();
      shown = 0;
    }
    body.append(...items.map(row));
    shown += items.length;
    cursor = page.nextCursor;
    more.hidden = !cursor;
    summary.textContent = shown === 0 ? t("noAttendees") : t("attendeesShown", { n: v.number(shown) });
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  const reload = () => {
    clearTimeout(timer);
    timer = setTimeout(() => load().catch(v.fail), 250);
  };
  q.addEventListener("input", reload);
  for (const control of Object.values(filters ?? {})) control.addEventListener("change", reload);
  more.addEventListener("click", () => load(true).catch(v.fail));
  const search = h(
    "form",
    {
      class: "search",
      role: "search",
      onsubmit: (e: Event) => {
        e.preventDefault();
        reload();
      },
    },
    field("search-q", t("searchLabel"), q),
    filters
      ? [
          field("filter-state", t("filterState"), filters.state),
          field("filter-standing", t("filterStanding"), filters.standing),
          field("filter-delivery", t("filterDelivery"), filters.delivery),
        ]
      : null,
  );
  const section = h(
    "section",
    { "aria-labelledby": "attendees-title", id: "attendees" },
    h("h2", { id: "attendees-title" }, t("attendeesTitle")),
    search,
    summary,
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { "aria-describedby": "attendee-summary", class: "stack" },
        h("caption", { class: "visually-hidden" }, t("attendeesTitle")),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", { scope: "col" }, t("colName")),
            h("th", { scope: "col" }, t("colEmail")),
            h("th", { scope: "col" }, t("colReference")),
            h("th", { scope: "col" }, t("colStatus")),
            h("th", { scope: "col" }, t("colDelivery")),
          ),
        ),
        body,
      ),
    ),
    more,
  );
  return Object.assign(section, { load: () => load() });
}
