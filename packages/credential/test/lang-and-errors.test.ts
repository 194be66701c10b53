import { expect } from "chai";
import { BatchError, IntygCredentialError, ShareLinkError, ShareLinkTruncatedError } from "../src/errors";
import { hasErrorCode, IntygError } from "../src/intyg-error";
import { acceptLanguageLang, isLang } from "../src/lang";

describe("one Lang", () => {
  it("takes the language Accept-Language weighs highest among sv and en, else the fallback", () => {
    expect(acceptLanguageLang("sv-SE,sv;q=0.9,en;q=0.8", "en")).to.equal("sv");
    expect(acceptLanguageLang("en-GB, sv;q=0.5", "sv")).to.equal("en");
    expect(acceptLanguageLang("de-DE, sv;q=0.4, en;q=0.3", "en")).to.equal("sv");
    expect(acceptLanguageLang("fr, de", "en")).to.equal("en");
    expect(acceptLanguageLang("sv;q=0, en;q=0.1", "sv")).to.equal("en");
    expect(acceptLanguageLang("SV", "en")).to.equal("sv");
    expect(acceptLanguageLang(undefined, "sv")).to.equal("sv");
    expect(acceptLanguageLang("*", "en")).to.equal("en");
  });

  it("knows its two languages", () => {
    expect(isLang("sv")).to.equal(true);
    expect(isLang("en")).to.equal(true);
    expect(isLang("sv-SE")).to.equal(false);
    expect(isLang(undefined)).to.equal(false);
  });
});

describe("one error base", () => {
  it("carries a short message, a stable code, details and a cause", () => {
    const cause = new Error("low level");
    const error = new IntygError("short", { code: "x.y", details: { path: "/a" }, cause });
    expect(error).to.be.instanceOf(Error);
    expect(error).to.include({ name: "IntygError", message: "short", code: "x.y" });
    expect(error.details).to.deep.equal({ path: "/a" });
    expect(error.cause).to.equal(cause);
    expect(hasErrorCode(error, "x.y")).to.equal(true);
    expect(hasErrorCode(new Error("plain"), "x.y")).to.equal(false);
  });

  it("gives each credential error class its own code and keeps its name, message and details", () => {
    const batch = new BatchError("empty batch", { size: 0 });
    expect(batch).to.be.instanceOf(IntygCredentialError).and.instanceOf(IntygError);
    expect(batch).to.include({ name: "BatchError", message: "empty batch", code: "credential.batch" });
    expect(batch.details).to.deep.equal({ size: 0 });
    expect(new ShareLinkError("x").code).to.equal("credential.share-link");
    const truncated = new ShareLinkTruncatedError("cut");
    expect(truncated).to.be.instanceOf(ShareLinkError);
    expect(truncated.code).to.equal("credential.share-link-truncated");
    expect(new IntygCredentialError("base").code).to.equal("credential.error");
  });
});
