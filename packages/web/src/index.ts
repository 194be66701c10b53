// @intyg/web: the verifier page, built for the browser, and what the service needs to serve it. The only
// barrel (Node side; the page's own code is src/page/main.ts).

export {
  ensureWebBuilt,
  type ServedVerifyPage,
  servedHolderPage,
  servedOrganiserPage,
  servedVerifyPage,
  verifyPageHtml,
  WEB_ASSETS,
  type WebAssetName,
  webAsset,
  webAssetsDir,
} from "./assets";
export { type BuildWebOptions, type BuildWebResult, buildWeb, DEFAULT_OUT_DIR } from "./build";
export { fillPageConfig, holderPageCsp, organiserPageCsp, type PageConfig, verifyPageCsp } from "./html";
