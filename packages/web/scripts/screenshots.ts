// `pnpm --filter @intyg/web screenshots`: the verify page as a person sees it, on a laptop and a phone, in
// Swedish and English (verified, revoked, tampered, and a table of several), into docs/screenshots/. Runs its own
// local chain and the built page; nothing leaves the machine.

import { mkdirSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { encodeShareFragment } from "@intyg/credential";
import { chromium } from "playwright-core";
import { clone, createFixture } from "../../verifier/test/fixture";
import { servedVerifyPage } from "../src";
import { buildWeb } from "../src/build";

const OUT = path.join(__dirname, "..", "..", "..", "docs", "screenshots");

async function main(): Promise<void> {
  await buildWeb();
  mkdirSync(OUT, { recursive: true });
  const fx = await createFixture();
  const served = servedVerifyPage({ rpcUrl: fx.rpcUrl, registry: fx.registry, chainId: fx.chainId });
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const files: Record<string, [string, string]> = {
      "/verify": ["text/html; charset=utf-8", served.html],
      "/verify/verify.js": ["text/javascript; charset=utf-8", served.script],
      "/verify/verify.css": ["text/css; charset=utf-8", served.style],
    };
    const file = files[url.pathname];
    if (!file) return void response.writeHead(404).end();
    response.writeHead(200, { "content-type": file[0], "content-security-policy": served.csp });
    response.end(file[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/verify`;
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu"],
  });
  try {
    const valid = await fx.issue({
      subject: {
        name: "Åsa Öberg",
        email: "asa.oberg@example.se",
        organisation: "Exempels kommun",
        role: "hackathon-team-member",
        team: "Datadrivna",
        partsAttended: ["networking", "hackathon"],
      },
    });
    const revoked = await fx.issue();
    await fx.write(2, "revoke", [fx.organisationId, revoked.commitment.root, 3]);
    const tampered = clone(valid);
    tampered.credentialSubject.name = "Mallory";
    const batch = await fx.issueBatch(5);
    const shots: { name: string; width: number; lang: "sv" | "en"; hash?: string; files?: unknown[] }[] = [
      { name: "verified-sv-desktop", width: 1280, lang: "sv", hash: encodeShareFragment(valid) },
      { name: "verified-en-phone", width: 390, lang: "en", hash: encodeShareFragment(valid) },
      { name: "verified-sv-phone", width: 390, lang: "sv", hash: encodeShareFragment(valid) },
      { name: "revoked-sv-desktop", width: 1280, lang: "sv", hash: encodeShareFragment(revoked) },
      {
        name: "tampered-en-desktop",
        width: 1280,
        lang: "en",
        hash: `c=${encodeURIComponent(JSON.stringify(tampered))}`,
      },
      { name: "batch-sv-desktop", width: 1280, lang: "sv", files: [...batch, tampered] },
      { name: "batch-en-phone", width: 390, lang: "en", files: [...batch, tampered] },
    ];
    for (const shot of shots) {
      const context = await browser.newContext({
        viewport: { width: shot.width, height: 900 },
        locale: shot.lang,
      });
      const page = await context.newPage();
      await page.goto(`${base}?lang=${shot.lang}${shot.hash ? `#${shot.hash}` : ""}`);
      if (shot.files) {
        await page.setInputFiles(
          "#file",
          shot.files.map((credential, i) => ({
            name: `intyg-${i + 1}.json`,
            mimeType: "application/json",
            buffer: Buffer.from(JSON.stringify(credential)),
          })),
        );
        await page.waitForSelector("#batch:not([hidden])", { timeout: 60_000 });
      } else {
        await page.waitForSelector('#verdict[data-verified="true"], #verdict[data-verified="false"]', {
          timeout: 60_000,
        });
      }
      await page.locator("#result").scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(OUT, `${shot.name}.png`), fullPage: true });
      await context.close();
      console.log(`docs/screenshots/${shot.name}.png`);
    }
  } finally {
    await browser.close();
    server.close();
    await fx.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
