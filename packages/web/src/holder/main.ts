// The holder page (browser), served at the attendee's link `/holder/<token>`. It reads the credential from the
// same URL as JSON (same origin), shows it in human terms with its status, offers the PDF and the credential
// file, lets the holder choose which claims to hide with a live preview and make a short verification link with
// its QR code and PDF, lists and revokes those links, and, with a wallet in the browser (EIP-1193), claims the
// soulbound token and signs a presentation for a verifier's challenge. Text is only ever set with textContent.

import { IntygError } from "@intyg/credential/error";
import type { Lang } from "@intyg/credential/lang";
import { intygRegistryAbi } from "@intyg/registry";
import { createPresentation } from "@intyg/verifier";
import { type Address, createWalletClient, custom, encodeFunctionData, type Hex } from "viem";

/** The page's texts in English; {@link SV} covers every key. */
const EN = {
  skip: "Skip to the certificate",
  loading: "Fetching the certificate …",
  missingTitle: "No such certificate",
  missingText: "The link is unknown, or the certificate has been erased. Contact the organiser.",
  pageTitle: "Your certificate",
  attendance: "Certificate of attendance",
  course: "Certificate of completion",
  attended: "has attended",
  completed: "has completed the course",
  anonymous: "The holder",
  anchored: "Valid: signed by the issuer and anchored in the registry.",
  pending: "Signed soon: the certificate is anchored in the registry within minutes. Reload the page later.",
  failed: "The certificate could not be anchored. Contact the organiser.",
  revoked: "Revoked {date}. Reason: {reason}. The certificate is no longer valid.",
  superseded: "Superseded {date} by a new certificate.",
  newCertificate: "Open the new certificate",
  dates: "Dates",
  place: "Place",
  partOf: "Parts attended",
  role: "Role",
  team: "Team",
  organisation: "Organisation",
  email: "E-mail",
  name: "Name",
  birthDate: "Date of birth",
  id: "Wallet",
  identifier: "Identifier",
  partsAttended: "Parts attended",
  result: "Result",
  hours: "Hours",
  credits: "Credits",
  creditsValue: "{n} credits",
  outcomes: "Learning outcomes",
  skills: "Skills",
  assessment: "Assessment",
  issuer: "Issued by",
  issued: "Issued",
  validUntil: "Valid until",
  hiddenValue: "hidden",
  downloadTitle: "Download",
  downloadPdf: "The certificate as PDF",
  downloadFile: "The credential file (for programs and wallets)",
  shareTitle: "Show the certificate to someone",
  shareLead:
    "Choose what the recipient will see. Hidden claims never leave the service: the link, the QR code and the PDF carry only what you show, and the certificate still verifies.",
  hideLegend: "Hide",
  previewTitle: "What the recipient sees",
  makeLink: "Make a link and QR code",
  linkLabel: "Link to share",
  copy: "Copy the link",
  copied: "The link is copied.",
  copyFailed: "Copying failed: select the link and copy it yourself.",
  share: "Share …",
  sharedPdf: "PDF with only these claims",
  openLink: "Open the verification",
  qrAlt: "QR code of the link to share",
  linksTitle: "Your links",
  noLinks: "You have not made any links yet.",
  showing: "Hides: {hidden}",
  hidesNothing: "Hides nothing",
  revokeLink: "Revoke",
  revokedLink: "revoked",
  walletTitle: "Wallet",
  walletLead:
    "With an Ethereum wallet you can claim the certificate as a token that cannot be transferred, and sign a presentation when a verifier asks for one.",
  noWallet: "No wallet was found in this browser.",
  claim: "Claim the token to the wallet",
  claiming: "Confirm in your wallet …",
  claimed: "The token is in your wallet (transaction {hash}).",
  claimFailed: "The token could not be claimed: {error}",
  challengeLabel: "Challenge from the verifier",
  domainLabel: "The verifier's domain",
  present: "Sign the presentation",
  signing: "Sign in your wallet …",
  presented: "The presentation is signed. Save it and hand it to the verifier.",
  presentFailed: "The presentation could not be signed: {error}",
  downloadPresentation: "Save the presentation",
  footer: "Intyg – verifiable credentials for the public sector.",
  switchTo: "Svenska",
  switchLabel: "Läs sidan på svenska",
  "role.participant": "Participant",
  "role.speaker": "Speaker",
  "role.organiser": "Organiser",
  "role.hackathon-team-member": "Hackathon team member",
  "reason.issuedInError": "issued in error",
  "reason.superseded": "superseded",
  "reason.withdrawn": "withdrawn by the issuer",
  "reason.keyCompromise": "the signing key was compromised",
  "reason.fraud": "fraud",
  "reason.other": "other reason",
} as const;

type Key = keyof typeof EN;

const SV: Record<Key, string> = {
  skip: "Hoppa till intyget",
  loading: "Hämtar intyget …",
  missingTitle: "Intyget finns inte",
  missingText: "Länken är okänd, eller så har intyget raderats. Kontakta arrangören.",
  pageTitle: "Ditt intyg",
  attendance: "Intyg om deltagande",
  course: "Kursintyg",
  attended: "har deltagit i",
  completed: "har genomfört kursen",
  anonymous: "Innehavaren",
  anchored: "Giltigt: signerat av utfärdaren och förankrat i registret.",
  pending: "Signeras snart: intyget förankras i registret inom några minuter. Ladda om sidan senare.",
  failed: "Intyget kunde inte förankras. Kontakta arrangören.",
  revoked: "Återkallat {date}. Skäl: {reason}. Intyget gäller inte längre.",
  superseded: "Ersatt {date} av ett nytt intyg.",
  newCertificate: "Öppna det nya intyget",
  dates: "Datum",
  place: "Plats",
  partOf: "Deltog i",
  role: "Roll",
  team: "Lag",
  organisation: "Organisation",
  email: "E-post",
  name: "Namn",
  birthDate: "Födelsedatum",
  id: "Plånbok",
  identifier: "Identifierare",
  partsAttended: "Deltog i",
  result: "Resultat",
  hours: "Timmar",
  credits: "Poäng",
  creditsValue: "{n} hp",
  outcomes: "Lärandemål",
  skills: "Färdigheter",
  assessment: "Examination",
  issuer: "Utfärdat av",
  issued: "Utfärdat",
  validUntil: "Giltigt till",
  hiddenValue: "dolt",
  downloadTitle: "Ladda ner",
  downloadPdf: "Intyget som PDF",
  downloadFile: "Intygsfilen (för program och plånböcker)",
  shareTitle: "Visa intyget för någon",
  shareLead:
    "Välj vilka uppgifter mottagaren ska se. Dolda uppgifter lämnar aldrig tjänsten: länken, QR-koden och PDF:en bär bara det du visar, och intyget går ändå att verifiera.",
  hideLegend: "Dölj",
  previewTitle: "Det här ser mottagaren",
  makeLink: "Skapa länk och QR-kod",
  linkLabel: "Länk att dela",
  copy: "Kopiera länken",
  copied: "Länken är kopierad.",
  copyFailed: "Det gick inte att kopiera: markera länken och kopiera den själv.",
  share: "Dela …",
  sharedPdf: "PDF med bara dessa uppgifter",
  openLink: "Öppna verifieringen",
  qrAlt: "QR-kod för länken att dela",
  linksTitle: "Dina länkar",
  noLinks: "Du har inte skapat några länkar än.",
  showing: "Döljer: {hidden}",
  hidesNothing: "Döljer inget",
  revokeLink: "Återkalla",
  revokedLink: "återkallad",
  walletTitle: "Plånbok",
  walletLead:
    "Har du en plånbok för Ethereum kan du hämta intyget som en token som inte kan överlåtas, och signera en presentation när en verifierare ber om det.",
  noWallet: "Ingen plånbok hittades i webbläsaren.",
  claim: "Hämta token till plånboken",
  claiming: "Bekräfta i plånboken …",
  claimed: "Token finns i din plånbok (transaktion {hash}).",
  claimFailed: "Token kunde inte hämtas: {error}",
  challengeLabel: "Utmaning från verifieraren",
  domainLabel: "Verifierarens domän",
  present: "Signera presentationen",
  signing: "Signera i plånboken …",
  presented: "Presentationen är signerad. Spara den och lämna den till verifieraren.",
  presentFailed: "Presentationen kunde inte signeras: {error}",
  downloadPresentation: "Spara presentationen",
  footer: "Intyg – verifierbara intyg för offentlig sektor.",
  switchTo: "English",
  switchLabel: "Read this page in English",
  "role.participant": "Deltagare",
  "role.speaker": "Talare",
  "role.organiser": "Arrangör",
  "role.hackathon-team-member": "Deltagare i hackathonlag",
  "reason.issuedInError": "utfärdat av misstag",
  "reason.superseded": "ersatt",
  "reason.withdrawn": "återkallat av utfärdaren",
  "reason.keyCompromise": "signeringsnyckeln har röjts",
  "reason.fraud": "bedrägeri",
  "reason.other": "annat skäl",
};

const TEXTS: Record<Lang, Record<Key, string>> = { en: EN, sv: SV };

type Subject = {
  name?: string;
  email?: string;
  organisation?: string;
  role?: string;
  team?: string;
  birthDate?: string;
  id?: string;
  partsAttended?: string[];
  result?: { value?: string; status?: string }[];
  identifier?: { identityType: string }[];
  achievement?: {
    achievementType?: "ext:Attendance" | "Course";
    name?: string;
    startDate?: string;
    endDate?: string;
    location?: string;
    parts?: { id: string; name: string }[];
    hours?: number;
    creditsAvailable?: number;
    learningOutcomes?: string[];
    alignment?: { targetName: string }[];
    skills?: { name: string }[];
    assessment?: string;
  };
};

type Credential = {
  id: string;
  validFrom?: string;
  validUntil?: string;
  issuer?: { name?: string };
  credentialSubject: Subject;
  anchor: { chainId: number; registry: Address };
};

type HolderView = {
  id: string;
  status: "pending" | "sending" | "anchored" | "cancelled" | "failed";
  revoked: boolean;
  revocation: { reason: string; status: string; at: string | null } | null;
  supersededBy: string | null;
  credential: Credential | null;
  hideable: string[];
  links: Record<string, string>;
};

type Link = {
  token: string;
  url: string;
  share: string;
  hidden: string[];
  createdAt: string;
  revokedAt: string | null;
};

type Eip1193 = { request(args: { method: string; params?: unknown[] }): Promise<unknown> };

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

let lang: Lang = "sv";
let view: HolderView | undefined;
let links: Link[] = [];
let current: Link | undefined;

function t(key: Key, params: Record<string, string> = {}): string {
  return TEXTS[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? "");
}

function has(key: string): key is Key {
  return key in EN;
}

function locale(): string {
  return lang === "sv" ? "sv-SE" : "en-GB";
}

function date(value: string | undefined | null): string {
  if (!value) return "";
  const parsed = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(parsed.getTime())) return value;
  return new Intl.DateTimeFormat(locale(), { dateStyle: "long", timeZone: "UTC" }).format(parsed);
}

function dateRange(start: string | undefined, end: string | undefined): string {
  if (!start || !end) return date(start ?? end);
  const format = new Intl.DateTimeFormat(locale(), { dateStyle: "long", timeZone: "UTC" });
  return format
    .formatRange(new Date(`${start.slice(0, 10)}T00:00:00Z`), new Date(`${end.slice(0, 10)}T00:00:00Z`))
    .replace(/\s*–\s*/g, "–");
}

function number(value: number): string {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: 2 }).format(value);
}

/** A claim's value in words. */
function claimText(key: string, subject: Subject): string {
  const achievement = subject.achievement ?? {};
  switch (key) {
    case "role":
      return subject.role && has(`role.${subject.role}`)
        ? t(`role.${subject.role}` as Key)
        : (subject.role ?? "");
    case "partsAttended":
      return (subject.partsAttended ?? [])
        .map((id) => achievement.parts?.find((part) => part.id === id)?.name ?? id)
        .join(", ");
    case "birthDate":
      return date(subject.birthDate);
    case "result":
      return (subject.result ?? []).map((r) => [r.value, r.status].filter(Boolean).join(" – ")).join("; ");
    case "identifier":
      return (subject.identifier ?? []).map((i) => i.identityType).join(", ");
    default: {
      const value = (subject as Record<string, unknown>)[key];
      return typeof value === "string" ? value : value === undefined ? "" : JSON.stringify(value);
    }
  }
}

function add(list: HTMLElement, term: string, value: string, hidden = false): void {
  if (!value) return;
  const dt = document.createElement("dt");
  dt.textContent = term;
  const dd = document.createElement("dd");
  dd.textContent = value;
  if (hidden) dd.className = "hidden-claim";
  list.append(dt, dd);
}

function label(key: string): string {
  return has(key) ? t(key) : key;
}

const claimKey = (path: string) => path.replace(/^\/credentialSubject\//, "");

function chosenHidden(): string[] {
  return Array.from(document.querySelectorAll<HTMLInputElement>("#choices input:checked")).map(
    (input) => input.value,
  );
}

function renderStatus(v: HolderView): void {
  const status = $("status");
  status.replaceChildren();
  const at = date(v.revocation?.at);
  if (v.revocation && v.revocation.status !== "failed") {
    status.className = "status bad";
    const superseded = v.revocation.reason === "superseded" || v.supersededBy;
    const reason = `reason.${v.revocation.reason}`;
    status.append(
      superseded
        ? t("superseded", { date: at })
        : t("revoked", { date: at, reason: has(reason) ? t(reason) : v.revocation.reason }),
    );
    if (v.supersededBy && /^https?:\/\//.test(v.supersededBy)) {
      const link = document.createElement("a");
      link.href = v.supersededBy;
      link.textContent = t("newCertificate");
      status.append(" ", link);
    }
    return;
  }
  status.className = `status ${v.status === "anchored" ? "ok" : v.status === "failed" || v.status === "cancelled" ? "bad" : "wait"}`;
  status.textContent =
    v.status === "anchored" ? t("anchored") : v.status === "failed" ? t("failed") : t("pending");
}

function renderFacts(credential: Credential): void {
  const subject = credential.credentialSubject;
  const achievement = subject.achievement ?? {};
  const facts = $("facts");
  facts.replaceChildren();
  add(facts, t("dates"), dateRange(achievement.startDate, achievement.endDate));
  add(facts, t("place"), achievement.location ?? "");
  for (const key of ["partsAttended", "role", "team", "organisation", "email", "birthDate", "result", "id"]) {
    add(facts, label(key), claimText(key, subject));
  }
  if (achievement.hours !== undefined) add(facts, t("hours"), number(achievement.hours));
  if (achievement.creditsAvailable !== undefined)
    add(facts, t("credits"), t("creditsValue", { n: number(achievement.creditsAvailable) }));
  add(facts, t("assessment"), achievement.assessment ?? "");
  const skills = [
    ...(achievement.alignment ?? []).map((a) => a.targetName),
    ...(achievement.skills ?? []).map((s) => s.name),
  ];
  add(facts, t("skills"), skills.join(", "));
  add(facts, t("outcomes"), (achievement.learningOutcomes ?? []).join("; "));
  add(facts, t("issuer"), credential.issuer?.name ?? "");
  add(facts, t("issued"), date(credential.validFrom));
  add(facts, t("validUntil"), date(credential.validUntil));
}

/** What a recipient of a link with the current choice sees: the visible claims, "hidden" for the others. */
function renderPreview(): void {
  if (!view?.credential) return;
  const subject = view.credential.credentialSubject;
  const hidden = new Set(chosenHidden().map(claimKey));
  const preview = $("preview");
  preview.replaceChildren();
  add(preview, t("issuer"), view.credential.issuer?.name ?? "");
  const course = subject.achievement?.achievementType === "Course";
  add(preview, course ? t("course") : t("attendance"), subject.achievement?.name ?? "");
  for (const path of view.hideable) {
    const key = claimKey(path);
    const value = claimText(key, subject);
    add(preview, label(key), hidden.has(key) ? t("hiddenValue") : value, hidden.has(key));
  }
}

function renderChoices(): void {
  if (!view) return;
  const choices = $("choices");
  const checked = new Set(chosenHidden());
  choices.replaceChildren();
  for (const path of view.hideable) {
    const key = claimKey(path);
    const item = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.value = path;
    box.checked = checked.has(path) || (checked.size === 0 && key === "email" && !current);
    box.addEventListener("change", () => {
      renderPreview();
      $("shared").hidden = true;
    });
    const text = document.createElement("span");
    text.textContent = label(key);
    item.append(box, text);
    choices.append(item);
  }
}

function withQuery(url: string, params: Record<string, string>): string {
  const target = new URL(url, location.origin);
  for (const [name, value] of Object.entries(params)) if (value) target.searchParams.set(name, value);
  return target.pathname + target.search;
}

function renderShared(): void {
  if (!view || !current) return;
  const hide = current.hidden.join(",");
  ($("share-url") as HTMLInputElement).value = current.url;
  ($("open-link") as HTMLAnchorElement).href = current.url;
  ($("shared-pdf") as HTMLAnchorElement).href = withQuery(view.links.pdf!, { lang, hide });
  const qr = $("qr") as HTMLImageElement;
  qr.src = withQuery(view.links.qrSvg!, { hide });
  qr.alt = t("qrAlt");
  $("copied").textContent = "";
  $("shared").hidden = false;
}

function renderLinks(): void {
  const list = $("links");
  list.replaceChildren();
  $("no-links").hidden = links.length > 0;
  for (const link of links) {
    const item = document.createElement("li");
    const text = document.createElement("span");
    text.textContent = `${link.url} – ${
      link.hidden.length
        ? t("showing", { hidden: link.hidden.map((p) => label(claimKey(p))).join(", ") })
        : t("hidesNothing")
    }`;
    item.append(text);
    if (link.revokedAt) {
      text.className = "revoked";
      item.append(` (${t("revokedLink")})`);
    } else {
      const revoke = document.createElement("button");
      revoke.type = "button";
      revoke.className = "link";
      revoke.textContent = t("revokeLink");
      revoke.setAttribute("aria-label", `${t("revokeLink")}: ${link.url}`);
      revoke.addEventListener("click", () => void revokeLink(link));
      item.append(" ", revoke);
    }
    list.append(item);
  }
}

function render(): void {
  document.documentElement.lang = lang;
  for (const element of Array.from(document.querySelectorAll<HTMLElement>("[data-i18n]"))) {
    const key = element.dataset.i18n!;
    if (has(key)) element.textContent = t(key);
  }
  const toggle = $("lang");
  toggle.textContent = t("switchTo");
  toggle.setAttribute("lang", lang === "sv" ? "en" : "sv");
  toggle.setAttribute("aria-label", t("switchLabel"));
  document.title = `${t("pageTitle")} – Intyg`;
  if (!view?.credential) return;
  const credential = view.credential;
  const subject = credential.credentialSubject;
  const course = subject.achievement?.achievementType === "Course";
  $("kind").textContent = course ? t("course") : t("attendance");
  $("holder-name").textContent = subject.name ?? t("anonymous");
  $("verb").textContent = course ? t("completed") : t("attended");
  $("achievement").textContent = subject.achievement?.name ?? "";
  document.title = `${subject.achievement?.name ?? t("pageTitle")} – Intyg`;
  renderStatus(view);
  renderFacts(credential);
  ($("pdf") as HTMLAnchorElement).href = withQuery(view.links.pdf!, { lang });
  ($("file") as HTMLAnchorElement).href = view.links.credential!;
  renderChoices();
  renderPreview();
  renderLinks();
  if (current) renderShared();
}

async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(path, {
    ...init,
    // The service words its problems in the page's language.
    headers: {
      accept: "application/json",
      "accept-language": lang,
      ...(init.body ? { "content-type": "application/json" } : {}),
    },
    cache: "no-store",
  });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as { detail?: string; code?: string };
    throw new IntygError(problem.detail ?? `HTTP ${response.status}`, {
      code: problem.code ?? "web.service",
      details: { status: response.status },
    });
  }
  return response.status === 204 ? (undefined as T) : ((await response.json()) as T);
}

async function loadLinks(): Promise<void> {
  if (!view) return;
  links = (await api<{ items: Link[] }>(view.links.links!)).items;
  renderLinks();
}

async function makeLink(): Promise<void> {
  if (!view) return;
  current = await api<Link>(view.links.links!, {
    method: "POST",
    body: JSON.stringify({ hide: chosenHidden() }),
  });
  renderShared();
  await loadLinks();
  $("share-url").focus();
}

async function revokeLink(link: Link): Promise<void> {
  if (!view) return;
  await api(`${view.links.links}/${link.token}/revoke`, { method: "POST" });
  if (current?.token === link.token) {
    current = undefined;
    $("shared").hidden = true;
  }
  await loadLinks();
}

async function copy(): Promise<void> {
  const input = $("share-url") as HTMLInputElement;
  try {
    await navigator.clipboard.writeText(input.value);
    $("copied").textContent = t("copied");
  } catch {
    input.select();
    $("copied").textContent = t("copyFailed");
  }
}

// -- wallet (EIP-1193) -------------------------------------------------------------------------------------------

function provider(): Eip1193 | undefined {
  return (window as unknown as { ethereum?: Eip1193 }).ethereum;
}

function meta(name: string): string | undefined {
  const value = document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content.trim();
  return value ? value : undefined;
}

function errorText(error: unknown): string {
  const e = error as { shortMessage?: string; message?: string };
  return (e.shortMessage ?? e.message ?? String(error)).slice(0, 300);
}

async function account(ethereum: Eip1193): Promise<Address> {
  const [address] = (await ethereum.request({ method: "eth_requestAccounts" })) as Address[];
  if (!address) throw new Error("no account");
  return address;
}

async function claim(): Promise<void> {
  const ethereum = provider();
  if (!ethereum || !view) return;
  const status = $("wallet-status");
  status.textContent = t("claiming");
  try {
    const holder = await account(ethereum);
    const voucher = await api<{
      registry: Address;
      chainId: number;
      request: { root: Hex; leaf: Hex; holder: Address; deadline: string };
      proof: Hex[];
      signer: Address;
      signature: Hex;
    }>(view.links.claimVoucher!, { method: "POST", body: JSON.stringify({ holder }) });
    const registry = meta("intyg-registry");
    if (registry && registry.toLowerCase() !== voucher.registry.toLowerCase())
      throw new Error("registry mismatch");
    const chainId = Number.parseInt(String(await ethereum.request({ method: "eth_chainId" })), 16);
    if (chainId !== voucher.chainId) {
      await ethereum.request({
        method: "wallet_switchEthereumChain",
        params: [{ chainId: `0x${voucher.chainId.toString(16)}` }],
      });
    }
    const data = encodeFunctionData({
      abi: intygRegistryAbi,
      functionName: "claimToken",
      args: [
        { ...voucher.request, deadline: BigInt(voucher.request.deadline) },
        voucher.proof,
        voucher.signer,
        voucher.signature,
      ],
    });
    const hash = (await ethereum.request({
      method: "eth_sendTransaction",
      params: [{ from: holder, to: voucher.registry, data }],
    })) as Hex;
    for (let i = 0; i < 120; i++) {
      const receipt = (await ethereum.request({ method: "eth_getTransactionReceipt", params: [hash] })) as {
        status?: string;
      } | null;
      if (receipt?.status === "0x1") {
        status.textContent = t("claimed", { hash });
        status.dataset.claimed = hash;
        return;
      }
      if (receipt?.status === "0x0") throw new Error("the transaction reverted");
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error("no receipt");
  } catch (error) {
    status.textContent = t("claimFailed", { error: errorText(error) });
  }
}

async function present(event: Event): Promise<void> {
  event.preventDefault();
  const ethereum = provider();
  if (!ethereum || !view?.credential) return;
  const status = $("wallet-status");
  status.textContent = t("signing");
  try {
    const address = await account(ethereum);
    const wallet = createWalletClient({ account: address, transport: custom(ethereum) });
    const presentation = await createPresentation({
      credential: view.credential as never,
      account: {
        address,
        signTypedData: (typedData: unknown) => wallet.signTypedData(typedData as never),
        signMessage: ({ message }: { message: string }) => wallet.signMessage({ message }),
      } as never,
      challenge: ($("challenge") as HTMLInputElement).value.trim(),
      domain: ($("domain") as HTMLInputElement).value.trim(),
    });
    const blob = new Blob([JSON.stringify(presentation, null, 2)], { type: "application/json" });
    const link = $("presentation") as HTMLAnchorElement;
    link.href = URL.createObjectURL(blob);
    link.hidden = false;
    status.textContent = t("presented");
    status.dataset.presented = "true";
  } catch (error) {
    status.textContent = t("presentFailed", { error: errorText(error) });
  }
}

async function start(): Promise<void> {
  const requested = new URLSearchParams(location.search).get("lang");
  if (requested === "en" || requested === "sv") lang = requested;
  render();
  $("lang").addEventListener("click", () => {
    lang = lang === "sv" ? "en" : "sv";
    const url = new URL(location.href);
    url.searchParams.set("lang", lang);
    history.replaceState(null, "", url);
    render();
  });
  try {
    view = await api<HolderView>(location.pathname);
  } catch {
    $("loading").hidden = true;
    $("missing").hidden = false;
    return;
  }
  $("loading").hidden = true;
  if (!view.credential) {
    $("certificate").hidden = false;
    render();
    return;
  }
  $("certificate").hidden = false;
  render();
  $("make-link").addEventListener("click", () => void makeLink());
  $("copy").addEventListener("click", () => void copy());
  if (typeof navigator.share === "function") {
    const share = $("native-share");
    share.hidden = false;
    share.addEventListener("click", () => {
      if (current) void navigator.share({ title: document.title, url: current.url }).catch(() => undefined);
    });
  }
  await loadLinks();
  const ethereum = provider();
  $("no-wallet").hidden = Boolean(ethereum);
  $("wallet-actions").hidden = !ethereum || view.revoked;
  $("present-form").hidden = !ethereum;
  $("claim").addEventListener("click", () => void claim());
  $("present-form").addEventListener("submit", (event) => void present(event));
  document.body.dataset.ready = "true";
}

void start();
