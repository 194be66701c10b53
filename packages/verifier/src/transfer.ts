// How a worker thread hands a chunk's reports to the thread that asked for them. Taking in reports is most of
// what a second thread costs the first, and the reports of one batch are alike word for word but for a few
// fields (the holder's name, the credential's id). So each report is sent as what differs from the report
// before it: every object or array equal to the one at the same place in that report is left out, and the
// receiver copies it from there. The receiver's reports are equal to the sender's, keys in the same order, and
// each has objects of its own.

import type { VerificationReport } from "./types";

/** A chunk's reports as sent: JSON text (see {@link packReports}). */
export type PackedReports = string;

/** Where in a report a part was left out: a top-level key, or the keys and indices down to it. */
type Path = string | (string | number)[];

/** One report: its value with each part left out replaced by 0, and where those parts were. */
type Item = [value: unknown] | [value: unknown, paths: Path[]];

/** How deep parts are compared: a report, its sections, their lists and the entries of those lists. */
const MAX_DEPTH = 4;

type Json = unknown;

const isObject = (value: Json): value is Record<string, Json> | Json[] =>
  typeof value === "object" && value !== null;

/** Whether two JSON values would be written as the same text (keys in the same order). */
function sameJson(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (!isObject(a) || !isObject(b)) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  for (let i = 0; i < keysA.length; i++) {
    const key = keysA[i]!;
    if (key !== keysB[i] || !sameJson(a[key], (b as Record<string, Json>)[key])) return false;
  }
  return true;
}

/** Sets a property as JSON.parse would (a key "__proto__" is an own property, never the prototype). */
function put(target: Record<string, Json> | Json[], key: string | number, value: Json): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else (target as Record<string | number, Json>)[key] = value;
}

/** A copy of a JSON value's objects and arrays (strings and numbers, immutable, are shared). */
function copyJson(value: Json): Json {
  if (!isObject(value)) return value;
  if (Array.isArray(value)) return value.map(copyJson);
  const copy: Record<string, Json> = {};
  for (const key of Object.keys(value)) put(copy, key, copyJson(value[key]));
  return copy;
}

/** `current` with every part equal to `previous`'s at the same place replaced by 0, the places noted in `paths`. */
function delta(previous: Json, current: Json, path: (string | number)[], paths: Path[], depth: number): Json {
  if (!isObject(current) || !isObject(previous)) return current;
  if (sameJson(previous, current)) {
    paths.push(path.length === 1 && typeof path[0] === "string" ? path[0] : [...path]);
    return 0;
  }
  if (depth >= MAX_DEPTH || Array.isArray(current) !== Array.isArray(previous)) return current;
  if (Array.isArray(current)) {
    const before = previous as Json[];
    const out: Json[] = new Array(current.length);
    for (let i = 0; i < current.length; i++) {
      path.push(i);
      out[i] = delta(before[i], current[i], path, paths, depth + 1);
      path.pop();
    }
    return out;
  }
  const before = previous as Record<string, Json>;
  const out: Record<string, Json> = {};
  for (const key of Object.keys(current)) {
    path.push(key);
    put(
      out,
      key,
      Object.hasOwn(before, key) ? delta(before[key], current[key], path, paths, depth + 1) : current[key],
    );
    path.pop();
  }
  return out;
}

/** A chunk's reports as a worker sends them: each as what differs from the report before it. */
export function packReports(reports: readonly VerificationReport[]): PackedReports {
  const items: Item[] = new Array(reports.length);
  for (let i = 0; i < reports.length; i++) {
    const paths: Path[] = [];
    const value = i === 0 ? reports[0] : delta(reports[i - 1], reports[i], [], paths, 0);
    items[i] = paths.length > 0 ? [value, paths] : [value];
  }
  return JSON.stringify(items);
}

/** The reports of {@link packReports}: equal to the sender's, keys in order, each with objects of its own. */
export function unpackReports(packed: PackedReports): VerificationReport[] {
  const items = JSON.parse(packed) as Item[];
  const reports: Json[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    let [value, paths] = items[i]!;
    for (const path of paths ?? []) {
      const previous = reports[i - 1] as Record<string, Json>;
      if (typeof path === "string") {
        put(value as Record<string, Json>, path, copyJson(previous[path]));
        continue;
      }
      if (path.length === 0) {
        value = copyJson(previous);
        continue;
      }
      let target = value as Record<string | number, Json>;
      let source = previous as Record<string | number, Json>;
      for (let k = 0; k < path.length - 1; k++) {
        target = target[path[k]!] as Record<string | number, Json>;
        source = source[path[k]!] as Record<string | number, Json>;
      }
      const last = path[path.length - 1]!;
      put(target, last, copyJson(source[last]));
    }
    reports[i] = value;
  }
  return reports as VerificationReport[];
}
