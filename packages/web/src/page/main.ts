// The verifier page (browser). It reads a credential from the text box, a dropped or chosen file, a share
// link's fragment, or a QR code, verifies it with @intyg/verifier against the configured chain, and shows
// the verdict, each check and what was proved. Nothing but chain reads leaves the browser.

import {
  CHECK_NAMES,
  type CredentialSummary,
  type Lang,
  type VerificationReport,
  verifyCredential,
} from "@intyg/verifier";

const UI: Record<Lang, Record<string, string>> = {
  sv: {
    skip: "Hoppa till verifieringen",
    title: "Verifiera ett intyg",
    lead: "Kontrollera att ett intyg om närvaro eller utbildning är äkta, utfärdat av en godkänd utfärdare, giltigt och inte återkallat. Intyget lämnar aldrig din webbläsare: bara registret i blockkedjan läses.",
    inputTitle: "Intyget",
    pasteLabel: "Klistra in intyget (JSON) eller en delningslänk",
    verify: "Verifiera",
    chooseFile: "Välj en fil",
    scan: "Skanna QR-kod",
    stopScan: "Avbryt skanningen",
    drop: "…eller släpp en intygsfil här.",
    resultTitle: "Resultat",
    checksTitle: "Kontroller",
    provedTitle: "Vad som har bevisats",
    footer: "Intyg – verifierbara intyg för offentlig sektor.",
    switchTo: "English",
    switchLabel: "Read this page in English",
    verifying: "Verifierar …",
    empty: "Klistra in ett intyg, välj en fil eller skanna en QR-kod först.",
    noCamera: "Kameran kunde inte startas.",
    issuer: "Utfärdare",
    orgnr: "Organisationsnummer",
    achievement: "Evenemang eller kurs",
    kind: "Slag",
    attendance: "Närvaro",
    training: "Utbildning",
    subject: "Innehavaren",
    hidden: "Dolda uppgifter",
    validFrom: "Giltigt från",
    validUntil: "Giltigt till",
    anchoredAt: "Förankrat",
    revokedAt: "Återkallat",
    signer: "Signerat av nyckel",
    chain: "Kedja",
    registry: "Register",
    block: "Block",
    snapshot: "Ögonblicksbild",
    config:
      "Sidan litar på registret {registry} på kedja {chain} och läser det via {rpc}. Det bestäms av webbplatsen, aldrig av länken.",
    noConfig:
      "Ingen kedja är konfigurerad för sidan: webbplatsen måste ange nod och register (meta-taggarna intyg-rpc och intyg-registry).",
    anyChain: "valfri",
    unproved:
      "Inga uppgifter ur dokumentet visas: det kunde inte verifieras, så inget av det som står i det är bevisat.",
    ignoredParams:
      "Länken försökte välja kedja, nod eller register. Det ignoreras: sidan litar bara på sin egen konfiguration.",
    passed: "Godkänd",
    failed: "Underkänd",
    skipped: "Ej kontrollerad",
  },
  en: {
    skip: "Skip to verification",
    title: "Verify a credential",
    lead: "Check that an attendance or training credential is genuine, issued by an accredited issuer, valid and not revoked. The credential never leaves your browser: only the registry on the blockchain is read.",
    inputTitle: "The credential",
    pasteLabel: "Paste the credential (JSON) or a share link",
    verify: "Verify",
    chooseFile: "Choose a file",
    scan: "Scan a QR code",
    stopScan: "Stop scanning",
    drop: "…or drop a credential file here.",
    resultTitle: "Result",
    checksTitle: "Checks",
    provedTitle: "What was proved",
    footer: "Intyg – verifiable credentials for the public sector.",
    switchTo: "Svenska",
    switchLabel: "Läs sidan på svenska",
    verifying: "Verifying …",
    empty: "Paste a credential, choose a file or scan a QR code first.",
    noCamera: "The camera could not be started.",
    issuer: "Issuer",
    orgnr: "Organisation number",
    achievement: "Event or course",
    kind: "Kind",
    attendance: "Attendance",
    training: "Training",
    subject: "The holder",
    hidden: "Hidden claims",
    validFrom: "Valid from",
    validUntil: "Valid until",
    anchoredAt: "Anchored",
    revokedAt: "Revoked",
    signer: "Signed by key",
    chain: "Chain",
    registry: "Registry",
    block: "Block",
    snapshot: "Snapshot",
    config:
      "This page trusts registry {registry} on chain {chain} and reads it through {rpc}. The site decides this, never the link.",
    noConfig:
      "No chain is configured for this page: the site must give a node and a registry (the intyg-rpc and intyg-registry meta tags).",
    anyChain: "any",
    unproved: "No claim of the document is shown: it could not be verified, so nothing it says is proved.",
    ignoredParams:
      "The link tried to choose the chain, node or registry. That is ignored: this page trusts only its own configuration.",
    passed: "Passed",
    failed: "Failed",
    skipped: "Not checked",
  },
};

type PageConfig = { rpcUrl?: string; registry?: `0x${string}`; chainId?: number };

type BarcodeDetectorLike = { detect(source: CanvasImageSource): Promise<{ rawValue: string }[]> };
type BarcodeDetectorConstructor = new (options: { formats: string[] }) => BarcodeDetectorLike;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

let lang: Lang = "sv";
let lastInput: string | undefined;
let config: PageConfig = {};

function meta(name: string): string | undefined {
  const value = document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content.trim();
  return value ? value : undefined;
}

/** Query parameters a link may carry to try to choose what the page trusts: all ignored, and the reader told. */
const TRUST_PARAMS = ["rpc", "registry", "chain", "chainId", "chain-id", "node", "snapshot"];

function chainIdOf(value: unknown): number | undefined {
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
  return /^[1-9]\d{0,15}$/.test(text) ? Number(text) : undefined;
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

function t(key: string): string {
  return UI[lang][key] ?? key;
}

function applyLanguage(): void {
  document.documentElement.lang = lang;
  document.title = `${t("title")} – Intyg`;
  for (const element of Array.from(document.querySelectorAll<HTMLElement>("[data-i18n]"))) {
    element.textContent = t(element.dataset.i18n!);
  }
  const toggle = $("lang");
  toggle.textContent = t("switchTo");
  toggle.setAttribute("lang", lang === "sv" ? "en" : "sv");
  toggle.setAttribute("aria-label", t("switchLabel"));
  $("video").setAttribute("aria-label", t("scan"));
  $("config").textContent = config.rpcUrl
    ? t("config")
        .replace("{registry}", config.registry ?? "—")
        .replace("{chain}", config.chainId === undefined ? t("anyChain") : String(config.chainId))
        .replace("{rpc}", config.rpcUrl)
    : t("noConfig");
}

function add(list: HTMLElement, term: string, value: string | undefined): void {
  if (value === undefined || value === "") return;
  const dt = document.createElement("dt");
  dt.textContent = term;
  const dd = document.createElement("dd");
  dd.textContent = value;
  list.append(dt, dd);
}

function claimText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** What was proved, only for a verified credential: a failed one shows no claim of the document as a fact. */
function renderProved(report: VerificationReport): void {
  const list = $("proved");
  list.replaceChildren();
  $("proved-section").hidden = !report.credential;
  $("unproved").hidden = Boolean(report.credential);
  if (!report.credential) return;
  const c: CredentialSummary = report.credential;
  add(list, t("issuer"), c.issuer?.name);
  add(list, t("orgnr"), c.issuer?.organisationNumber);
  add(list, t("achievement"), c.achievement?.name);
  if (c.kind) add(list, t("kind"), t(c.kind));
  for (const claim of c.subject ?? []) add(list, `${t("subject")}: ${claim.path}`, claimText(claim.value));
  if (c.hiddenClaims) add(list, t("hidden"), String(c.hiddenClaims));
  add(list, t("validFrom"), c.validFrom);
  add(list, t("validUntil"), c.validUntil);
  add(list, t("anchoredAt"), c.anchoredAt);
  add(list, t("revokedAt"), c.revokedAt);
  add(list, t("signer"), c.signer);
  if (report.chain) {
    add(list, t("chain"), String(report.chain.chainId));
    add(list, t("registry"), report.chain.registry);
    add(list, t("block"), `${report.chain.blockNumber} (${report.chain.blockTime})`);
    add(list, t("snapshot"), report.chain.note);
  }
}

function render(report: VerificationReport): void {
  $("result").hidden = false;
  const verdict = $("verdict");
  verdict.className = `verdict ${report.verified ? "ok" : "bad"}`;
  verdict.dataset.verified = String(report.verified);
  verdict.textContent = `${report.verified ? "✔" : "✖"} ${report.verdict}`;
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
    const text = document.createElement("span");
    text.className = "message";
    text.textContent = check.message;
    item.append(mark, name, text);
    checks.append(item);
  }
  renderProved(report);
  $("trust").textContent = report.trust.message;
}

async function verify(input: string): Promise<void> {
  lastInput = input;
  const verdict = $("verdict");
  $("result").hidden = false;
  verdict.className = "verdict";
  verdict.dataset.verified = "";
  verdict.textContent = t("verifying");
  // Nothing of an earlier verdict stays on screen next to the new one.
  $("proved-section").hidden = true;
  $("unproved").hidden = true;
  $("proved").replaceChildren();
  $("checks").replaceChildren();
  $("trust").textContent = "";
  const report = await verifyCredential(input, {
    lang,
    ...(config.rpcUrl ? { rpcUrl: config.rpcUrl } : {}),
    ...(config.registry ? { registry: config.registry } : {}),
    ...(config.chainId !== undefined ? { chainId: config.chainId } : {}),
    trustSource: { source: "server" },
  });
  render(report);
}

function fragmentInput(): string | undefined {
  const hash = location.hash.replace(/^#/, "");
  if (hash.startsWith("c1.")) return hash;
  if (hash.startsWith("c=")) return decodeURIComponent(hash.slice(2));
  return undefined;
}

async function readFile(file: File): Promise<void> {
  const text = await file.text();
  ($("json") as HTMLTextAreaElement).value = text;
  await verify(text);
}

let stream: MediaStream | undefined;

function stopScan(): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
  stream = undefined;
  $("camera").hidden = true;
  $("scan").focus();
}

async function startScan(Detector: BarcodeDetectorConstructor): Promise<void> {
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
  } catch {
    $("result").hidden = false;
    $("verdict").textContent = t("noCamera");
    return;
  }
  const video = $("video") as HTMLVideoElement;
  video.srcObject = stream;
  $("camera").hidden = false;
  await video.play();
  const detector = new Detector({ formats: ["qr_code"] });
  const tick = async () => {
    if (!stream) return;
    try {
      const [code] = await detector.detect(video);
      if (code?.rawValue) {
        stopScan();
        ($("json") as HTMLTextAreaElement).value = code.rawValue;
        await verify(code.rawValue);
        return;
      }
    } catch {
      // Not ready yet.
    }
    requestAnimationFrame(() => void tick());
  };
  void tick();
}

async function start(): Promise<void> {
  const stored = new URLSearchParams(location.search).get("lang");
  if (stored === "en" || stored === "sv") lang = stored;
  config = await loadConfig();
  const params = new URLSearchParams(location.search);
  $("ignored").hidden = !TRUST_PARAMS.some((name) => params.has(name));
  applyLanguage();

  $("lang").addEventListener("click", () => {
    lang = lang === "sv" ? "en" : "sv";
    applyLanguage();
    if (lastInput !== undefined) void verify(lastInput);
  });
  $("form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = ($("json") as HTMLTextAreaElement).value;
    if (text.trim() === "") {
      $("result").hidden = false;
      $("verdict").textContent = t("empty");
      return;
    }
    void verify(text);
  });
  const fileInput = $("file") as HTMLInputElement;
  fileInput.addEventListener("change", () => {
    const file = fileInput.files?.[0];
    if (file) void readFile(file);
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
      const file = (event as DragEvent).dataTransfer?.files[0];
      if (file) void readFile(file);
    });
  }
  const Detector = (window as unknown as { BarcodeDetector?: BarcodeDetectorConstructor }).BarcodeDetector;
  if (Detector && "mediaDevices" in navigator) {
    const scan = $("scan");
    scan.hidden = false;
    scan.addEventListener("click", () => void startScan(Detector));
    $("stop-scan").addEventListener("click", stopScan);
  }

  const fromLink = fragmentInput();
  if (fromLink) {
    ($("json") as HTMLTextAreaElement).value = location.href;
    await verify(fromLink);
  }
  window.addEventListener("hashchange", () => {
    const input = fragmentInput();
    if (input) void verify(input);
  });
}

void start();
