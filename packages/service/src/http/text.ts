// Hostile text: characters no field of this API may carry. NUL cannot be stored by PostgreSQL (text or jsonb),
// a lone UTF-16 surrogate cannot be encoded as UTF-8, and the other C0 control characters (and DEL) have no
// place in names, descriptions or references: they hide text in logs, PDFs and terminals. Tab, line feed and
// carriage return stay allowed (descriptions have lines). One middleware checks every string of a request —
// path segments, query names and values, and every key and string value of a JSON body, at any depth — before
// a route's handler (and so the database) sees it.

import type { MiddlewareHandler } from "hono";
import { ValidationError } from "../errors";
import type { AppEnv } from "./context";
import type { LocalisedIssue } from "./problem";

/** C0 controls but tab, LF and CR; DEL; and UTF-16 surrogates not part of a pair. */
const HOSTILE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what it is for
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

// The English table defines the messages; the Swedish one must have each of them.
const VALUE =
  "Must not contain NUL or other control characters (tab, line feed and carriage return excepted), nor unpaired UTF-16 surrogates";
const en = {
  value: VALUE,
  property: `A property name: ${VALUE.toLowerCase()}`,
  parameter: `A parameter name: ${VALUE.toLowerCase()}`,
};
const sv: Record<keyof typeof en, string> = {
  value:
    "Får inte innehålla NUL eller andra styrtecken (utom tabb, radmatning och vagnretur) eller ensamma UTF-16-surrogat.",
  property:
    "Ett egenskapsnamn: får inte innehålla NUL eller andra styrtecken (utom tabb, radmatning och vagnretur) eller ensamma UTF-16-surrogat.",
  parameter:
    "Ett parameternamn: får inte innehålla NUL eller andra styrtecken (utom tabb, radmatning och vagnretur) eller ensamma UTF-16-surrogat.",
};

export const HOSTILE_TEXT_MESSAGE = en.value;

function hostileIssue(path: string, what: keyof typeof en): LocalisedIssue {
  return { path, message: en[what], code: "invalid_characters", messages: { sv: sv[what] } };
}

/** Whether `value` holds a character the API refuses in any string. */
export function isHostileText(value: string): boolean {
  return HOSTILE.test(value);
}

/** The most issues reported for one request. */
const MAX_ISSUES = 20;

const pointer = (part: string) => `/${part.replace(/~/g, "~0").replace(/\//g, "~1")}`;

/**
 * The JSON pointers (below `prefix`) of every hostile string in `value`, keys included (a hostile key is
 * reported at its object, so the key itself is never repeated). Never the values: they may be personal data.
 */
export function hostileTextIssues(value: unknown, prefix = "", out: LocalisedIssue[] = []): LocalisedIssue[] {
  const stack: { value: unknown; path: string }[] = [{ value, path: prefix }];
  while (stack.length > 0 && out.length < MAX_ISSUES) {
    const { value: item, path } = stack.pop()!;
    if (typeof item === "string") {
      if (isHostileText(item)) out.push(hostileIssue(path, "value"));
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) stack.push({ value: item[i], path: `${path}/${i}` });
    } else if (item !== null && typeof item === "object") {
      const entries = Object.entries(item);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        if (isHostileText(key)) {
          out.push(hostileIssue(path, "property"));
        } else {
          stack.push({ value: child, path: `${path}${pointer(key)}` });
        }
      }
    }
  }
  return out;
}

/** Hono's test for a JSON body: the media types its `json` validator parses (others are validated as `{}`). */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;
const isJson = (type: string | undefined) =>
  type !== undefined && JSON_MEDIA_TYPE.test(type.split(";")[0]!.trim().toLowerCase());

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Refuses a request with a hostile character in any string with a 400 problem whose `errors` name each field by
 * JSON pointer: `/attendees/3/subject/name` in the body, `?/cursor` in the query, `#/2` for the third path
 * segment. Reads the body as text first, so later readers (the validators, idempotency hashing) see the
 * same bytes; a body that is not JSON is left to the route's own validation.
 */
export function refuseHostileText(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const issues: LocalisedIssue[] = [];
    const rawPath = new URL(c.req.url).pathname;
    rawPath
      .split("/")
      .slice(1)
      .forEach((segment, i) => {
        if (isHostileText(decodeSegment(segment))) issues.push(hostileIssue(`#/${i}`, "value"));
      });
    for (const [name, values] of Object.entries(c.req.queries())) {
      if (isHostileText(name)) {
        issues.push(hostileIssue("?", "parameter"));
        continue;
      }
      if (values.some(isHostileText)) issues.push(hostileIssue(`?${pointer(name)}`, "value"));
    }
    if (issues.length > 0) throw new ValidationError("request.hostile-text", issues);
    const type = c.req.header("content-type");
    if (isJson(type) && c.req.method !== "GET" && c.req.method !== "HEAD") {
      const text = await c.req.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined; // not JSON: the route's validation answers
      }
      if (body !== undefined) hostileTextIssues(body, "", issues);
      if (issues.length > 0) throw new ValidationError("request.hostile-text-body", issues);
    }
    await next();
  };
}
