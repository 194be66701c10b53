// The pages' files are sent with Brotli or gzip only to a client that accepts it.

import { randomBytes } from "node:crypto";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { expect } from "chai";
import { Hono } from "hono";
import { acceptsGzip, brotliCompressionsRunning, preferredCoding, sendText } from "../src/http/compressed";
import { type AppHarness, createAppHarness } from "./helpers/harness";
import { fullApp } from "./helpers/routes";

describe("Brotli and gzip for the pages' files", () => {
  it("reads accept-encoding: listed and not refused with q=0", () => {
    expect(acceptsGzip("gzip, deflate, br")).to.equal(true);
    expect(acceptsGzip("br;q=1.0, gzip;q=0.8")).to.equal(true);
    expect(acceptsGzip("*")).to.equal(true);
    expect(acceptsGzip("GZIP")).to.equal(true);
    expect(acceptsGzip("gzip;q=0")).to.equal(false);
    expect(acceptsGzip("identity")).to.equal(false);
    expect(acceptsGzip("br")).to.equal(false);
    expect(acceptsGzip("")).to.equal(false);
    expect(acceptsGzip(undefined)).to.equal(false);
    expect(acceptsGzip("gzip;q=0, *")).to.equal(false);
    expect(acceptsGzip("br, *;q=0")).to.equal(false);
  });

  it("prefers Brotli unless the client weighs gzip higher, and sends neither where both are refused", () => {
    expect(preferredCoding("gzip, deflate, br, zstd")).to.equal("br");
    expect(preferredCoding("br")).to.equal("br");
    expect(preferredCoding("*")).to.equal("br");
    expect(preferredCoding("br;q=0.5, gzip")).to.equal("gzip");
    expect(preferredCoding("br;q=0, gzip")).to.equal("gzip");
    expect(preferredCoding("br;q=0.8, gzip;q=0.8")).to.equal("br");
    expect(preferredCoding("gzip;q=0, *")).to.equal("br");
    expect(preferredCoding("br;q=0, gzip;q=0")).to.equal(undefined);
    expect(preferredCoding("br;q=x")).to.equal(undefined);
    expect(preferredCoding("identity")).to.equal(undefined);
    expect(preferredCoding(undefined)).to.equal(undefined);
  });

  it("runs two Brotli compressions at once, and sends every text with Brotli in turn", async () => {
    // Texts no other test sent: each is compressed for the first time here.
    const texts = Array.from({ length: 5 }, () => randomBytes(150_000).toString("base64"));
    const app = new Hono();
    app.get("/text/:i", (c) => sendText(c, texts[Number(c.req.param("i"))]!, "text/plain"));
    const ask = () =>
      Promise.all(
        texts.map((_, i) => app.request(`/text/${i}`, { headers: { "accept-encoding": "br, gzip" } })),
      );
    const first = await ask();
    expect(brotliCompressionsRunning()).to.be.at.most(2);
    for (const response of first) expect(response.headers.get("content-encoding")).to.equal("gzip");
    let codings = first.map((response) => response.headers.get("content-encoding"));
    for (let i = 0; i < 300 && !codings.every((coding) => coding === "br"); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const responses = await ask();
      expect(brotliCompressionsRunning()).to.be.at.most(2);
      codings = responses.map((response) => response.headers.get("content-encoding"));
      for (const [j, response] of responses.entries()) {
        if (codings[j] !== "br") continue;
        const body = Buffer.from(await response.arrayBuffer());
        expect(brotliDecompressSync(body).toString("utf8")).to.equal(texts[j]);
      }
    }
    expect(codings).to.deep.equal(texts.map(() => "br"));
  });

  describe("the verify page's, the holder page's and the organiser app's files", () => {
    let h: AppHarness;
    before(async function () {
      this.timeout(120_000);
      h = await createAppHarness("pglite", { autoStartWorker: false });
    });
    after(() => h?.close());

    it("compresses only a few texts with Brotli at once, and every text asked for at once reaches Brotli in turn", async () => {
      const { send } = await fullApp(h);
      const paths = [
        "/verify/verify.js",
        "/assets/holder.js",
        "/organiser/organiser.js",
        "/organiser/organiser.css",
      ];
      const ask = () =>
        Promise.all(paths.map((path) => send("GET", path, { headers: { "accept-encoding": "br, gzip" } })));
      // Asked for at once: some go out gzipped while the first compressions run (or all with Brotli, if an earlier
      // test made them already); each of them is sent with Brotli within a while.
      for (const response of await ask())
        expect(response.headers.get("content-encoding")).to.be.oneOf(["br", "gzip"]);
      let codings: (string | null)[] = [];
      for (let i = 0; i < 300; i++) {
        codings = (await ask()).map((response) => response.headers.get("content-encoding"));
        if (codings.every((coding) => coding === "br")) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(codings).to.deep.equal(paths.map(() => "br"));
    });

    for (const path of [
      "/verify",
      "/verify/verify.js",
      "/assets/holder.js",
      "/assets/holder.css",
      "/organiser/organiser.js",
      "/organiser/organiser.css",
    ]) {
      it(`sends ${path} with Brotli or gzip to a browser that accepts it, as text to one that does not`, async () => {
        const { send } = await fullApp(h);
        const plain = await send("GET", path);
        expect(plain.status).to.equal(200);
        expect(plain.headers.get("content-encoding")).to.equal(null);
        expect(plain.headers.get("vary")).to.match(/accept-encoding/i);
        const text = await plain.text();
        const zipped = await send("GET", path, { headers: { "accept-encoding": "gzip, deflate" } });
        expect(zipped.status).to.equal(200);
        expect(zipped.headers.get("content-encoding")).to.equal("gzip");
        expect(zipped.headers.get("content-type")).to.equal(plain.headers.get("content-type"));
        const body = Buffer.from(await zipped.arrayBuffer());
        expect(gunzipSync(body).toString("utf8")).to.equal(text);
        if (path.endsWith(".js")) expect(body.byteLength).to.be.below(text.length / 2);
        // The first request that accepts Brotli started compressing the file with it, on the thread pool: it goes
        // out with Brotli once that is done, smaller than gzipped, and still gzipped to a client without Brotli.
        let brotli: Response | undefined;
        for (let i = 0; i < 200 && !brotli; i++) {
          const response = await send("GET", path, { headers: { "accept-encoding": "gzip, br" } });
          if (response.headers.get("content-encoding") === "br") brotli = response;
          else await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(brotli, "sent with Brotli within 10 s").to.not.equal(undefined);
        expect(brotli!.headers.get("content-type")).to.equal(plain.headers.get("content-type"));
        expect(brotli!.headers.get("vary")).to.match(/accept-encoding/i);
        const compressed = Buffer.from(await brotli!.arrayBuffer());
        expect(brotliDecompressSync(compressed).toString("utf8")).to.equal(text);
        if (path.endsWith(".js")) expect(compressed.byteLength).to.be.below(body.byteLength);
        const gzipOnly = await send("GET", path, { headers: { "accept-encoding": "gzip" } });
        expect(gzipOnly.headers.get("content-encoding")).to.equal("gzip");
        const refused = await send("GET", path, { headers: { "accept-encoding": "br;q=0, gzip;q=0" } });
        expect(refused.headers.get("content-encoding")).to.equal(null);
        expect(await refused.text()).to.equal(text);
      });
    }
  });
});
