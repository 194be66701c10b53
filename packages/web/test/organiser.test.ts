// The organiser app as built: served under /organiser with a policy that allows no inline script, its HTML
// carrying no script or handler of its own, and every text in both languages.

import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { organiserPageCsp, servedOrganiserPage } from "../src";
import { EN, SV } from "../src/organiser/texts";

describe("organiser app (built)", () => {
  it("links its own script and style under /organiser/ and has no inline script or event handler", () => {
    const page = servedOrganiserPage();
    expect(page.html).to.contain('<script src="/organiser/organiser.js"></script>');
    expect(page.html).to.contain('<link rel="stylesheet" href="/organiser/organiser.css">');
    expect(page.html.match(/<script\b[^>]*>[^<]+<\/script>/g) ?? []).to.deep.equal([]);
    expect(page.html).to.not.match(/\son[a-z]+\s*=/i);
    expect(page.script.length).to.be.above(1000);
    expect(page.script).to.not.contain("innerHTML");
  });

  it("is served with a policy of its own origin only: no inline script, no framing, no form posted elsewhere", () => {
    const csp = organiserPageCsp();
    expect(servedOrganiserPage().csp).to.equal(csp);
    expect(csp).to.contain("default-src 'none'");
    expect(csp).to.contain("script-src 'self'");
    expect(csp).to.contain("connect-src 'self'");
    expect(csp).to.contain("frame-ancestors 'none'");
    expect(csp).to.contain("form-action 'none'");
    expect(csp).to.not.contain("unsafe");
  });

  it("has every text in Swedish and English, and the static HTML names only known texts", () => {
    expect(Object.keys(SV).sort()).to.deep.equal(Object.keys(EN).sort());
    for (const [key, text] of Object.entries(SV)) expect(text, key).to.not.equal("");
    const html = readFileSync(path.join(__dirname, "..", "src", "organiser", "index.html"), "utf8");
    for (const [, key] of html.matchAll(/data-i18n="([^"]+)"/g)) expect(EN, key).to.have.property(key!);
    // The key field is a password field that the browser does not offer to remember in history.
    expect(html).to.match(/<input id="api-key"[^>]*type="password"[^>]*autocomplete="off"/);
  });
});
