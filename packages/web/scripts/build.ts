// `pnpm --filter @intyg/web build`: the page into packages/web/dist. INTYG_PUBLIC_RPC_URL, INTYG_REGISTRY and
// INTYG_CHAIN_ID, when set, are written into the page's meta tags (for hosting it as a static site; serve it with
// the Content-Security-Policy of verifyPageCsp).

import { buildWeb } from "../src/build";

const config = {
  ...(process.env.INTYG_PUBLIC_RPC_URL ? { rpcUrl: process.env.INTYG_PUBLIC_RPC_URL } : {}),
  ...(process.env.INTYG_REGISTRY ? { registry: process.env.INTYG_REGISTRY } : {}),
  ...(process.env.INTYG_CHAIN_ID ? { chainId: Number(process.env.INTYG_CHAIN_ID) } : {}),
};

buildWeb({ config }).then(
  (result) =>
    console.log(`Built ${result.files.join(", ")} in ${result.outDir} (script ${result.scriptBytes} bytes)`),
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
