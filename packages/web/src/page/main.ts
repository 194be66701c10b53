// The verifier page (browser). It reads credentials from the text box, dropped or chosen files, a share link's
// fragment, a QR code from the camera or from a picture, verifies them with @intyg/verifier against the chain the
// site configured, and shows the verdict in words: for one credential the sentence, the proved claims and each
// check; for several, a table of verdicts with a detail view per row. Nothing but chain reads leaves the browser.
// What the verdict of a share link does not need (reading and drawing QR codes) is imported on first use, from
// modules next to this script (see LAZY_MODULES in ../build.ts): a phone on a slow network downloads and
// compiles that much less before the verdict.

import { useSmallGeneratorTable } from "@intyg/credential";
import {
  CHECK_NAMES,
  createReadClient,
  type Lang,
  type VerificationReport,
  verifyCredentials,
  verifyPresentation,
} from "@intyg/verifier";
import { primedFetch } from "@intyg/verifier/early";
import { EARLY_READ, meta, type PageEarlyRead } from "./early-read";
import type { Scanner } from "./qr";
import { isTextKey, type TextKey, text } from "./texts";

type PageConfig = { rpcUrl?: string; registry?: `0x${string}`; chainId?: number };

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

let lang: Lang = "sv";
/** What was last verified, to verify again in the other language. */
let lastInputs: unknown[] | undefined;
let lastReports: VerificationReport[] = [];
let config: PageConfig = {};
/** The challenge this page gave a holder, for presentations: fresh for each request. */
let challenge: { challenge: string; domain: string } | undefined;

const t = (key: TextKey, params?: Record<string, string | number>) => text(lang, key, params);

/** Query parameters a link may carry to try to choose what the page trusts: all ignored, and the reader told. */
const TRUST_PARAMS = ["rpc", "registry", "chain", "chainId", "chain-id", "node", "snapshot"];

function chainIdOf(value: unknown): number | undefined {
  const raw = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
  return /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : undefined;
}

/**
 * The page's meta tags (filled in by the server that serves it), else the service's `config.json` on the same
 * origin. Never the page's own URL: a link must not choose what a verdict trusts.
 */
async function loadConfig(): Promise<PageConfig> {
  let rpcUrl = meta("intyg-rpc");
  let registry = meta("intyg-registry");
  let chainId = chainIdOf(meta("intyg-chain-id"));
  if (!rpcUrl) {
    try {
      const response = await fetch(new URL("verify/config.json", `${location.origin}/`), {
        cache: "no-store",
      });
      if (response.ok) {
        const body = (await response.json()) as { rpcUrl?: unknown; registry?: unknown; chainId?: unknown };
        if (typeof body.rpcUrl === "string") rpcUrl = body.rpcUrl;
        if (!registry && typeof body.registry === "string") registry = body.registry;
        chainId ??= chainIdOf(body.chainId);
      }
    } catch {
      // No service next to the page: a static site configured by its meta tags.
    }
  }
  return {
    ...(rpcUrl ? { rpcUrl } : {}),
    ...(registry && /^0x[0-9a-fA-F]{40}$/.test(registry) ? { registry: registry as `0x${string}` } : {}),
    ...(chainId !== undefined ? { chainId } : {}),
  };
}

const LANG_KEY = "intyg-lang";

/** `?lang=`, else the reader's earlier choice, else the browser's language: Swedish for sv-*, else English. */
function initialLang(): Lang {
  const asked = new URLSearchParams(location.search).get("lang");
  if (asked === "sv" || asked === "en") return asked;
  try {
    const stored = localStorage.getItem(LANG_KEY);
    if (stored === "sv" || stored === "en") return stored;
  } catch {
    // Storage may be disabled; the browser's language decides.
  }
  const preferred = navigator.languages?.length ? navigator.languages : [navigator.language];
  return preferred.some((tag) => /^sv(-|$)/i.test(tag ?? "")) ? "sv" : "en";
}

function rememberLang(): void {
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    // Not remembered; nothing else depends on it.
  }
}

function applyLanguage(): void {
  document.documentElement.lang = lang;
  document.title = `${t("title")} – Intyg`;
  for (const element of Array.from(document.querySelectorAll<HTMLElement>("[data-i18n]"))) {
    const key = element.dataset.i18n!;
    if (isTextKey(key)) element.textContent = t(key);
  }
  const toggle = $("lang");
  toggle.textContent = t("switchTo");
  toggle.setAttribute("lang", lang === "sv" ? "en" : "sv");
  toggle.setAttribute("aria-label", t("switchLabel"));
  $("video").setAttribute("aria-label", t("scan"));
  $("config").textContent = config.rpcUrl
    ? t("config", {
        registry: config.registry ?? "—",
        chain: config.chainId === undefined ? t("anyChain") : String(config.chainId),
        rpc: config.rpcUrl,
      })
    : t("noConfig");
}

function add(list: HTMLElement, term: string, value: string | undefined, id?: string): void {
  if (value === undefined || value === "") return;
  const dt = document.createElement("dt");
  dt.textContent = term;
  const dd = document.createElement("dd");
  dd.textContent = value;
  if (id) dd.dataset.field = id;
  list.append(dt, dd);
}

/** What was proved, only for a verified credential: a failed one shows no claim of the document as a fact. */
function renderProved(report: VerificationReport): void {
  const list = $("proved");
  list.replaceChildren();
  const described = report.description;
  $("proved-section").hidden = !described;
  $("unproved").hidden = Boolean(described);
  $("sentence").textContent = described?.sentence ?? "";
  for (const field of described?.fields ?? []) add(list, field.label, field.value, field.id);
}

/** Keys, registry, block and check codes: for experts, behind a disclosure. */
function renderTechnical(report: VerificationReport): void {
  const list = $("tech");
  list.replaceChildren();
  add(list, t("signer"), report.credential?.signer);
  if (report.chain) {
    add(list, t("chain"), String(report.chain.chainId));
    add(list, t("registry"), report.chain.registry);
    add(list, t("block"), `${report.chain.blockNumber} (${report.chain.blockTime})`);
    add(list, t("snapshot"), report.chain.note);
  }
  for (const check of report.checks) {
    add(list, t("checkCode", { id: check.id }), `${check.code}${check.detail ? ` — ${check.detail}` : ""}`);
  }
}

function renderChecks(report: VerificationReport): void {
  const checks = $("checks");
  checks.replaceChildren();
  for (const check of report.checks) {
    const item = document.createElement("li");
    item.className = check.status;
    item.dataset.check = check.id;
    item.dataset.status = check.status;
    const mark = document.createElement("span");
    mark.className = "mark";
    mark.setAttribute("aria-hidden", "true");
    mark.textContent = check.status === "passed" ? "✔" : check.status === "failed" ? "✖" : "–";
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = `${CHECK_NAMES[lang][check.id]}: ${t(check.status)}`;
    const message = document.createElement("span");
    message.className = "message";
    message.textContent = check.message;
    item.append(mark, name, message);
    checks.append(item);
  }
}

function render(report: VerificationReport): void {
  $("result").hidden = false;
  $("single").hidden = false;
  const verdict = $("verdict");
  verdict.className = `verdict ${report.verified ? "ok" : "bad"}`;
  verdict.dataset.verified = String(report.verified);
  verdict.textContent = `${report.verified ? "✔" : "✖"} ${report.verdict}`;
  renderProved(report);
  renderChecks(report);
  renderTechnical(report);
  $("trust").textContent = report.trust.message;
}

/** Several credentials: one row each (who, what, issuer, status), and a button to see one in full. */
function renderBatch(reports: VerificationReport[]): void {
  $("result").hidden = false;
  $("single").hidden = true;
  $("batch").hidden = false;
  $("back").hidden = true;
  const ok = reports.filter((report) => report.verified).length;
  $("batch-title").textContent = t("batchTitle", { count: reports.length });
  const summary = $("batch-summary");
  summary.textContent = t("batchSummary", { ok, count: reports.length });
  summary.dataset.verified = String(ok);
  const body = $("batch-rows");
  body.replaceChildren();
  for (const [i, report] of reports.entries()) {
    const field = (id: string) => report.description?.fields.find((f) => f.id === id)?.value;
    const row = document.createElement("tr");
    row.dataset.verified = String(report.verified);
    const cells = [
      field("name") ?? (report.verified ? t("unknown") : t("batchFile", { n: i + 1 })),
      field("achievement") ?? t("unknown"),
      field("issuer") ?? t("unknown"),
    ];
    for (const value of cells) {
      const cell = document.createElement("td");
      cell.textContent = value;
      row.append(cell);
    }
    const status = document.createElement("td");
    status.className = report.verified ? "ok" : "bad";
    const failure = report.checks.find((check) => check.status === "failed");
    status.textContent = report.verified
      ? `✔ ${t("batchVerified")}`
      : `✖ ${t("batchNotVerified")}${failure ? `: ${failure.message}` : ""}`;
    row.append(status);
    const action = document.createElement("td");
    const show = document.createElement("button");
    show.type = "button";
    show.textContent = t("batchShow");
    show.setAttribute("aria-label", `${t("batchShow")}: ${cells[0]}`);
    show.addEventListener("click", () => {
      render(report);
      $("back").hidden = false;
      $("batch").hidden = true;
      $("verdict").focus();
    });
    action.append(show);
    row.append(action);
    body.append(row);
  }
}

function clearResult(): void {
  const verdict = $("verdict");
  $("result").hidden = false;
  $("single").hidden = false;
  $("batch").hidden = true;
  $("back").hidden = true;
  verdict.className = "verdict";
  verdict.dataset.verified = "";
  verdict.textContent = t("verifying");
  // Nothing of an earlier verdict stays on screen next to the new one.
  $("proved-section").hidden = true;
  $("unproved").hidden = true;
  $("proved").replaceChildren();
  $("checks").replaceChildren();
  $("tech").replaceChildren();
  $("trust").textContent = "";
}

function say(message: string): void {
  clearResult();
  $("verdict").textContent = message;
}

/** The client for the configured node, made on first use and kept for the page's life. */
let nodeClient: ReturnType<typeof createReadClient> | undefined;

/**
 * The node to verify against. Its first read of the chain context is taken from verify-early.js's, when that
 * script asked the same node about the same registry (a share link opened): one round trip fewer before the
 * verdict. The verifier checks that answer as it checks the node's own.
 */
function nodeOptions(): { client?: ReturnType<typeof createReadClient> } {
  if (!config.rpcUrl) return {};
  if (!nodeClient) {
    const early = (globalThis as Record<string, unknown>)[EARLY_READ] as PageEarlyRead | undefined;
    const same =
      early !== undefined &&
      early.rpcUrl === config.rpcUrl &&
      early.registry.toLowerCase() === config.registry?.toLowerCase();
    nodeClient = createReadClient(config.rpcUrl, same ? { fetchFn: primedFetch(early.read) } : {});
  }
  return { client: nodeClient };
}

const isPresentation = (input: unknown) =>
  typeof input === "string" && /"VerifiablePresentation"/.test(input);

/**
 * Verifies one or several inputs in one run (one signature check for a batch's credentials); a presentation
 * against the challenge this page gave.
 */
async function verify(inputs: unknown[]): Promise<void> {
  lastInputs = inputs;
  clearResult();
  const options = {
    lang,
    ...nodeOptions(),
    ...(config.registry ? { registry: config.registry } : {}),
    ...(config.chainId !== undefined ? { chainId: config.chainId } : {}),
    trustSource: { source: "server" as const },
  };
  const reports =
    inputs.length === 1 && isPresentation(inputs[0])
      ? [await verifyPresentation(inputs[0], { ...options, ...challenge })]
      : await verifyCredentials(inputs, options);
  // A presentation of several credentials shows each one's verdict (each includes its holder check).
  const presented = reports.length === 1 ? (reports[0]!.credentials ?? []) : [];
  lastReports = presented.length > 1 ? presented : reports;
  if (lastReports.length === 1) render(lastReports[0]!);
  else renderBatch(lastReports);
}

/** The text box holds one document, or several links one per line. */
function inputsOfText(value: string): string[] {
  const lines = value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  const links = lines.every((line) => /^(https?:\/\/\S+#c1?[.=]|#?c1\.)/.test(line));
  return lines.length > 1 && links ? lines : [value];
}

function fragmentInput(): string | undefined {
  const hash = location.hash.replace(/^#/, "");
  if (hash.startsWith("c1.")) return hash;
  if (hash.startsWith("c=")) return decodeURIComponent(hash.slice(2));
  return undefined;
}

async function readFiles(files: readonly File[]): Promise<void> {
  if (files.length === 0) return;
  const texts = await Promise.all(files.map((file) => file.text()));
  ($("json") as HTMLTextAreaElement).value = texts.length === 1 ? texts[0]! : "";
  await verify(texts);
}

/** A module the page imports on first use, or undefined (and the reader told) when it cannot be loaded. */
async function lazy<T>(load: () => Promise<T>): Promise<T | undefined> {
  try {
    return await load();
  } catch {
    say(t("notLoaded"));
    return undefined;
  }
}

async function readImage(file: File): Promise<void> {
  const qr = await lazy(() => import("./qr"));
  if (!qr) return;
  const found = await qr.readQrFromImage(file);
  if (!found) {
    say(t("noQr"));
    return;
  }
  ($("json") as HTMLTextAreaElement).value = found;
  await verify([found]);
}

let scanner: Scanner | undefined;

/** Whether the camera can be asked for at all (a secure context with media devices). */
function canScan(): boolean {
  return typeof navigator !== "undefined" && "mediaDevices" in navigator && Boolean(navigator.mediaDevices);
}

function stopScan(): void {
  scanner?.stop();
  scanner = undefined;
  $("camera").hidden = true;
  $("scan").focus();
}

async function startScan(): Promise<void> {
  const qr = await lazy(() => import("./qr"));
  if (!qr) return;
  $("camera").hidden = false;
  try {
    scanner = await qr.startCameraScan($("video") as HTMLVideoElement, (found) => {
      scanner = undefined;
      $("camera").hidden = true;
      ($("json") as HTMLTextAreaElement).value = found;
      void verify([found]);
    });
  } catch {
    $("camera").hidden = true;
    say(t("noCamera"));
  }
}

/** A fresh random challenge for this page's domain, shown as text and as a QR code for the holder's wallet. */
async function newChallenge(): Promise<void> {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const value = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  challenge = { challenge: value, domain: location.host };
  $("challenge").textContent = challenge.challenge;
  $("domain").textContent = challenge.domain;
  const image = $("challenge-qr") as HTMLImageElement;
  // Without the drawing module the challenge is still given as text.
  const draw = await lazy(() => import("./qr-image"));
  if (draw) {
    image.src = await draw.qrDataUrl(JSON.stringify({ type: "IntygChallenge", ...challenge }));
    image.alt = t("challengeQr");
  }
  $("challenge-box").hidden = false;
}

async function start(): Promise<void> {
  // The page recovers a signature or a few: a small table of the generator's multiples is quicker to make.
  useSmallGeneratorTable();
  lang = initialLang();
  config = await loadConfig();
  const params = new URLSearchParams(location.search);
  $("ignored").hidden = !TRUST_PARAMS.some((name) => params.has(name));
  applyLanguage();

  $("lang").addEventListener("click", () => {
    lang = lang === "sv" ? "en" : "sv";
    rememberLang();
    applyLanguage();
    if (lastInputs !== undefined) void verify(lastInputs);
  });
  $("form").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = ($("json") as HTMLTextAreaElement).value;
    if (value.trim() === "") {
      say(t("empty"));
      return;
    }
    void verify(inputsOfText(value));
  });
  const fileInput = $("file") as HTMLInputElement;
  fileInput.addEventListener("change", () => void readFiles(Array.from(fileInput.files ?? [])));
  const imageInput = $("image") as HTMLInputElement;
  imageInput.addEventListener("change", () => {
    const file = imageInput.files?.[0];
    if (file) void readImage(file);
  });
  const drop = $("drop");
  for (const target of [drop, $("json")]) {
    target.addEventListener("dragover", (event) => {
      event.preventDefault();
      drop.classList.add("over");
    });
    target.addEventListener("dragleave", () => drop.classList.remove("over"));
    target.addEventListener("drop", (event) => {
      event.preventDefault();
      drop.classList.remove("over");
      const files = Array.from((event as DragEvent).dataTransfer?.files ?? []);
      const image = files.length === 1 && files[0]!.type.startsWith("image/") ? files[0] : undefined;
      if (image) void readImage(image);
      else void readFiles(files);
    });
  }
  $("back").addEventListener("click", () => {
    renderBatch(lastReports);
    $("batch-title").focus();
  });
  $("new-challenge").addEventListener("click", () => void newChallenge());
  if (canScan()) {
    const scan = $("scan");
    scan.hidden = false;
    scan.addEventListener("click", () => void startScan());
    $("stop-scan").addEventListener("click", stopScan);
  }

  const fromLink = fragmentInput();
  if (fromLink) {
    ($("json") as HTMLTextAreaElement).value = location.href;
    await verify([fromLink]);
  }
  window.addEventListener("hashchange", () => {
    const input = fragmentInput();
    if (input) void verify([input]);
  });
}

void start();
