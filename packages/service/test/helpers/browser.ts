// A real HTTP server for the whole app on 127.0.0.1, headless Chromium, and the real PDF and QR tools
// (poppler's pdftoppm and pdftotext, zbar's zbarimg), for the holder's journey end to end.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { serve } from "@hono/node-server";
import { type Browser, chromium } from "playwright-core";
import type { AppHarness } from "./harness";
import { fullApp } from "./routes";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export type LiveApp = { base: string; close(): Promise<void> };

/**
 * Serves the full app (verifier and holder pages included) on a free port; the public URLs follow it, the
 * verifier page's node included (the service's read-only proxy at /verify/rpc).
 */
export async function serveApp(h: AppHarness): Promise<LiveApp> {
  let handle: (request: Request) => Response | Promise<Response> = () => new Response(null, { status: 503 });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: (request) => handle(request), hostname: "127.0.0.1", port: 0 }, () =>
      resolve(s),
    );
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  h.config.publicUrl = base;
  h.config.verifyUrl = `${base}/verify`;
  h.config.publicRpcUrl = `${base}/verify/rpc`;
  const { app } = await fullApp(h);
  handle = (request) => app.fetch(request);
  return { base, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

/** Runs `fn` with a fresh temporary directory, removed after. */
export function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(path.join(tmpdir(), "intyg-pdf-"));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text of a PDF as `pdftotext` (poppler) extracts it, in reading order (`-raw`), UTF-8. */
export function pdfToText(pdf: Uint8Array): string {
  return withTempDir((dir) => {
    const file = path.join(dir, "doc.pdf");
    writeFileSync(file, pdf);
    return execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"], { encoding: "utf8" });
  });
}

/** The first page rendered to PNG by `pdftoppm` at `dpi`, as bytes. */
export function pdfPagePng(pdf: Uint8Array, dpi = 150): Buffer {
  return withTempDir((dir) => {
    const file = path.join(dir, "doc.pdf");
    writeFileSync(file, pdf);
    execFileSync("pdftoppm", ["-r", String(dpi), "-png", "-f", "1", "-l", "1", file, path.join(dir, "page")]);
    const png = readdirSync(dir).find((name) => name.startsWith("page") && name.endsWith(".png"))!;
    return execFileSync("cat", [path.join(dir, png)]);
  });
}

/** The QR codes `zbarimg` finds in a PNG image. */
export function decodeQr(png: Uint8Array): string[] {
  return withTempDir((dir) => {
    const file = path.join(dir, "image.png");
    writeFileSync(file, png);
    const out = execFileSync("zbarimg", ["--raw", "-q", "-Sdisable", "-Sqrcode.enable", file], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    return out.split("\n").filter(Boolean);
  });
}
