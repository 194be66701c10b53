// The ordered list of checks of one report. A check whose prerequisites failed is skipped, naming the
// failed check it depends on.

import { CHECK_NAMES, type MessageKey, type MessageParams, message } from "./messages";
import { CHECK_IDS, type Check, type CheckId, type CheckStatus, type Lang } from "./types";

/** What each check needs to have passed first. */
export const CHECK_DEPENDENCIES: Record<CheckId, readonly CheckId[]> = {
  format: [],
  integrity: ["format"],
  signature: ["integrity"],
  issuer: ["signature"],
  anchor: ["signature"],
  revocation: ["anchor"],
  validity: ["integrity"],
  holder: ["integrity"],
  event: ["signature"],
};

/**
 * For experts: what exactly a failure was (a schema path, an integrity reason, a reader's error), kept out of the
 * plain-language message and put in the check's `detail`. The same in both languages.
 */
function technicalDetail(key: MessageKey, p: MessageParams): string | undefined {
  switch (key) {
    case "format.schema":
      return `${p.count} problem(s), first at ${p.path}: ${p.detail}`;
    case "format.presentation-schema":
      return `at ${p.path}: ${p.detail}`;
    case "integrity.failed":
      return `${p.reason}${p.path ? ` at ${p.path}` : ""}`;
    case "anchor.unavailable":
      return p.detail === undefined ? undefined : String(p.detail);
    default:
      return undefined;
  }
}

/** Collects check results in any order and lays them out in the report's order. */
export class CheckList {
  private readonly results = new Map<CheckId, Check>();

  constructor(readonly lang: Lang) {}

  set(id: CheckId, status: CheckStatus, code: string, key: MessageKey, params: MessageParams = {}): void {
    const detail = technicalDetail(key, params);
    this.results.set(id, {
      id,
      status,
      code,
      message: message(this.lang, key, params),
      ...(detail ? { detail } : {}),
    });
  }

  pass(id: CheckId, key: MessageKey, params?: MessageParams): void {
    this.set(id, "passed", "ok", key, params);
  }

  fail(id: CheckId, code: string, key: MessageKey, params?: MessageParams): void {
    this.set(id, "failed", code, key, params);
  }

  skip(id: CheckId, code: string, key: MessageKey, params?: MessageParams): void {
    this.set(id, "skipped", code, key, params);
  }

  /** Appends a sentence to a check's message (e.g. a supersession note). */
  append(id: CheckId, text: string): void {
    const check = this.results.get(id);
    if (check) check.message += text;
  }

  get(id: CheckId): Check | undefined {
    return this.results.get(id);
  }

  status(id: CheckId): CheckStatus | undefined {
    return this.results.get(id)?.status;
  }

  /** The first failed check that `id` depends on, directly or through skipped checks. */
  blocker(id: CheckId): CheckId | undefined {
    for (const dependency of CHECK_DEPENDENCIES[id]) {
      const status = this.status(dependency);
      if (status === "failed") return dependency;
      if (status === "skipped" || status === undefined) {
        const deeper = this.blocker(dependency);
        if (deeper) return deeper;
        if (status === undefined) return dependency;
      }
    }
    return undefined;
  }

  /** True when the check may run; otherwise records it as skipped because of what it depends on. */
  ready(id: CheckId): boolean {
    const blocker = this.blocker(id);
    if (blocker === undefined) return true;
    this.skip(id, "depends-on-failed-check", "skipped.depends", { check: CHECK_NAMES[this.lang][blocker] });
    return false;
  }

  /** Marks every check not yet decided as skipped because of what it depends on. */
  skipRest(): void {
    for (const id of CHECK_IDS) if (!this.results.has(id)) this.ready(id);
  }

  /** The checks in report order. */
  list(): Check[] {
    return CHECK_IDS.flatMap((id) => {
      const check = this.results.get(id);
      return check ? [check] : [];
    });
  }
}
