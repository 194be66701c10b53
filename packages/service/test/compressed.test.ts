// The pages' files are sent gzipped only to a client that accepts gzip.

import { expect } from "chai";
import { acceptsGzip } from "../src/http/compressed";

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
});
