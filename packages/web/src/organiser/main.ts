// The organiser app (browser), served at /organiser. Signs in with an API key, which goes once to the service and
// is then forgotten (the session lives in an HttpOnly cookie the script cannot read); routes by the URL's
// fragment (#/events/…) so the page is one file; Swedish by default, English with ?lang=en (remembered).

import {
  ApiError,
  api,
  type Capabilities,
  loadCapabilities,
  setCsrfToken,
  setLanguage,
  whenSignedOut,
} from "./api";
import type { View } from "./context";
import { h, replace } from "./dom";
import { eventForm, eventList, eventPage, problemList } from "./events";
import { importPage, progressPage } from "./import";
import { keysPage } from "./keys";
import { personPage, reissuePage } from "./person";
import { privacyPage, receiptPage } from "./privacy";
import { isKey, type Key, type Lang, TEXTS } from "./texts";

type Session = {
  organisation: { name: string };
  key: { name: string; role?: "admin" | "issuer" };
  csrfToken: string;
  expiresAt: string;
};

const LANG_KEY = "intyg-organiser-lang";
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function chooseLang(): Lang {
  const asked = new URLSearchParams(location.search).get("lang");
  if (asked === "sv" || asked === "en") {
    localStorage.setItem(LANG_KEY, asked);
    return asked;
  }
  return localStorage.getItem(LANG_KEY) === "en" ? "en" : "sv";
}

let lang: Lang = chooseLang();
let caps: Capabilities | null = null;
let session: Session | null = null;
/** A notice set just before the view changes is shown on the next view only. */
let noticeFresh = false;

function t(key: Key, values: Record<string, string | number> = {}): string {
  return TEXTS[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}

const ZONE = "Europe/Stockholm";

function formatDate(value: string | null | undefined, withTime = false): string {
  if (!value) return "";
  const locale = lang === "sv" ? "sv-SE" : "en-GB";
  // A bare date is a calendar day: shown as it is, never shifted by a time zone.
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split("-").map(Number);
    return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(
      new Date(Date.UTC(y!, m! - 1, d!)),
    );
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locale, {
    dateStyle: "long",
    ...(withTime ? { timeStyle: "short" } : {}),
    timeZone: ZONE,
  }).format(date);
}

/** The label of a value that comes from the service (a role, a reason, a kind of part): the value itself when it has none. */
function label(key: string, value: string): string {
  return isKey(key) ? t(key) : value;
}

/**
 * What a view renders into and reports through. `current` says whether its route is still the page's latest: a
 * view whose route was left before its data arrived renders into a detached element and reports nothing, so it
 * cannot draw over the view the reader went on to (a slow event page over the keys page clicked meanwhile).
 */
function view(current: () => boolean = () => true): View {
  const away = document.createElement("div");
  return {
    lang,
    t,
    label,
    caps: caps!,
    admin: session?.key.role === "admin",
    get main() {
      return current() ? $("view") : away;
    },
    notice(text) {
      if (!current()) return;
      $("notice").textContent = text;
      noticeFresh = true;
    },
    fail(error) {
      if (!current()) return;
      replace($("failure"), problemList(view(), error));
      ($("failure").firstElementChild as HTMLElement | null)?.focus();
    },
    go(hash) {
      if (location.hash === hash) void route();
      else location.hash = hash;
    },
    date: formatDate,
    number: (n) => new Intl.NumberFormat(lang === "sv" ? "sv-SE" : "en-GB").format(n),
  };
}

/** The static texts of the page (data-i18n) and the language switch. */
function applyLanguage(): void {
  document.documentElement.lang = lang;
  setLanguage(lang);
  for (const element of Array.from(document.querySelectorAll<HTMLElement>("[data-i18n]"))) {
    const key = element.dataset.i18n ?? "";
    if (isKey(key)) element.textContent = t(key);
  }
  for (const element of Array.from(document.querySelectorAll<HTMLElement>("[data-i18n-label]"))) {
    const key = element.dataset.i18nLabel ?? "";
    if (isKey(key)) element.setAttribute("aria-label", t(key));
  }
  const other: Lang = lang === "sv" ? "en" : "sv";
  const button = $("lang");
  button.textContent = t("switchTo");
  button.setAttribute("lang", other);
  button.setAttribute("aria-label", t("switchLabel"));
}

function showSignedIn(signedIn: boolean): void {
  $("signin").hidden = signedIn;
  $("app").hidden = !signedIn;
  $("who").hidden = !signedIn;
  $("signout").hidden = !signedIn;
  if (session) $("org-name").textContent = session.organisation.name;
  $("nav").hidden = !signedIn;
  // Only an admin key manages the organisation's keys; the page says so to anyone who opens it anyway.
  $("nav-keys").hidden = session?.key.role !== "admin";
}

/** Counts routes, so that a route can tell whether a later one has begun since (see {@link view}). */
let routes = 0;

async function route(): Promise<void> {
  if (!session) return;
  const seq = ++routes;
  const current = () => seq === routes;
  replace($("failure"));
  if (!noticeFresh) $("notice").textContent = "";
  noticeFresh = false;
  const v = view(current);
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path, query = ""] = hash.split("?");
  const parts = path!.split("/").filter(Boolean);
  markSection(parts[0] ?? "");
  document.body.dataset.ready = "false";
  delete document.body.dataset.progress;
  try {
    if (parts.length === 0) await eventList(v);
    else if (parts[0] === "new" && (parts[1] === "event" || parts[1] === "course"))
      await eventForm(v, parts[1]);
    else if (parts[0] === "events" && parts[1] && parts.length === 2) await eventPage(v, parts[1]);
    else if (parts[0] === "events" && parts[1] && parts[2] === "edit") await eventForm(v, "event", parts[1]);
    else if (parts[0] === "events" && parts[1] && parts[2] === "import") await importPage(v, parts[1]);
    else if (parts[0] === "events" && parts[1] && parts[2] === "jobs" && parts[3]) {
      document.body.dataset.ready = "true";
      focusHeading();
      await progressPage(v, parts[1], parts[3], new URLSearchParams(query).has("send"));
      return;
    } else if (parts[0] === "credentials" && parts[1] && parts[2] === "reissue")
      await reissuePage(v, parts[1]);
    else if (parts[0] === "credentials" && parts[1]) await personPage(v, parts[1]);
    else if (parts[0] === "keys" && parts.length === 1) await keysPage(v);
    else if (parts[0] === "privacy" && parts.length === 1) await privacyPage(v);
    else if (parts[0] === "erasures" && parts[1]) await receiptPage(v, parts[1], session.organisation.name);
    else {
      replace(
        v.main,
        h("h1", { tabindex: -1 }, t("notFound")),
        h("p", {}, h("a", { href: "#/" }, t("backToList"))),
      );
    }
    if (current()) focusHeading();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return;
    replace(v.main, h("h1", { tabindex: -1 }, t("loadFailed")), problemList(v, error));
    if (current()) focusHeading();
  } finally {
    if (current()) document.body.dataset.ready = "true";
  }
}

/** The section of the page in the navigation (aria-current), from the route's first part. */
function markSection(first: string): void {
  const section =
    first === "keys" ? "keys" : first === "privacy" || first === "erasures" ? "privacy" : "events";
  for (const link of Array.from(document.querySelectorAll<HTMLAnchorElement>("#nav a"))) {
    if (link.dataset.section === section) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

/** After a view changes, its heading takes the focus, so a screen reader starts there. */
function focusHeading(): void {
  $("view").querySelector<HTMLElement>("h1")?.focus();
}

async function start(signedIn: Session): Promise<void> {
  session = signedIn;
  setCsrfToken(signedIn.csrfToken);
  caps ??= await loadCapabilities();
  showSignedIn(true);
  await route();
}

function signedOut(message?: Key): void {
  session = null;
  setCsrfToken("");
  showSignedIn(false);
  replace($("view"));
  replace($("signin-error"), message ? h("p", { class: "problem", role: "alert" }, t(message)) : null);
  document.title = `${t("signinTitle")} – Intyg`;
  document.body.dataset.ready = "true";
}

async function main(): Promise<void> {
  applyLanguage();
  whenSignedOut(() => signedOut("sessionEnded"));
  $("lang").addEventListener("click", () => {
    lang = lang === "sv" ? "en" : "sv";
    localStorage.setItem(LANG_KEY, lang);
    const url = new URL(location.href);
    url.searchParams.set("lang", lang);
    history.replaceState(null, "", url);
    applyLanguage();
    if (session) void route();
    else document.title = `${t("signinTitle")} – Intyg`;
  });
  $<HTMLFormElement>("signin-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = $<HTMLInputElement>("api-key");
    const key = input.value.trim();
    input.value = ""; // the key is not kept in the page once sent
    replace($("signin-error"));
    if (!key) {
      replace($("signin-error"), h("p", { class: "problem", role: "alert" }, t("keyMissing")));
      input.focus();
      return;
    }
    try {
      await start(await api<Session>("POST", "/organiser/session", { apiKey: key }));
    } catch (error) {
      const status = error instanceof ApiError ? error.status : 0;
      const message: Key = status === 401 ? "keyWrong" : status === 429 ? "tooManyAttempts" : "signinFailed";
      replace($("signin-error"), h("p", { class: "problem", role: "alert" }, t(message)));
      input.focus();
    }
  });
  $("signout").addEventListener("click", async () => {
    try {
      await api("DELETE", "/organiser/session");
    } finally {
      location.hash = "";
      signedOut("signedOut");
    }
  });
  window.addEventListener("hashchange", () => void route());
  try {
    await start(await api<Session>("GET", "/organiser/session"));
  } catch {
    signedOut();
  }
}

void main();
