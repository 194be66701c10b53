// The pages' files are sent gzipped only to a client that accepts gzip.

import { gunzipSync } from "node:zlib";
import { expect } from "chai";
import { acceptsGzip } from "../src/http/compressed";
import { type AppHarness, createAppHarness } from "./helpers/harness";
import { fullApp } from "./helpers/routes";

describe("gzip for the pages' files", () => {
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
  });

  describe("the holder page's and the organiser app's files", () => {
    let h: AppHarness;
    before(async function () {
      this.timeout(120_000);
      h = await createAppHarness("pglite", { autoStartWorker: false });
    });
    after(() => h?.close());

    for (const path of [
      "/assets/holder.js",
      "/assets/holder.css",
      "/organiser/organiser.js",
      "/organiser/organiser.css",
    ]) {
      it(`sends ${path} gzipped to a browser that accepts it, as text to one that does not`, async () => {
        const { send } = await fullApp(h);
        const plain = await send("GET", path);
        expect(plain.status).to.equal(200);
        expect(plain.headers.get("content-encoding")).to.equal(null);
        expect(plain.headers.get("vary")).to.match(/accept-encoding/i);
        const text = await plain.text();
        const zipped = await send("GET", path, { headers: { "accept-encoding": "gzip, br" } });
        expect(zipped.status).to.equal(200);
        expect(zipped.headers.get("content-encoding")).to.equal("gzip");
        expect(zipped.headers.get("content-type")).to.equal(plain.headers.get("content-type"));
        const body = Buffer.from(await zipped.arrayBuffer());
        expect(gunzipSync(body).toString("utf8")).to.equal(text);
        if (path.endsWith(".js")) expect(body.byteLength).to.be.below(text.length / 2);
      });
    }
  });
});
