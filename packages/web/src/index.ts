// @intyg/web: the pages, built for the browser, and what a server needs to serve them. The build itself is
// `@intyg/web/build` (esbuild), kept out of this entry so that serving never loads it.

export {
  DEFAULT_OUT_DIR,
  type ServedVerifyPage,
  servedHolderPage,
  servedOrganiserPage,
  servedVerifyPage,
  VERIFY_LAZY_MODULES,
  type VerifyLazyModule,
  verifyPageHtml,
  WEB_ASSETS,
  type WebAssetName,
  webAsset,
  webAssetsDir,
  webBuilt,
} from "./assets";
export { fillPageConfig, holderPageCsp, organiserPageCsp, type PageConfig, verifyPageCsp } from "./html";
