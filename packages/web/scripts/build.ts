// `pnpm --filter @intyg/web build`: the page into packages/web/dist. INTYG_RPC_URL and INTYG_REGISTRY, when set,
// are written into the page's meta tags (for hosting it as a static site).

import { buildWeb } from "../src/build";

const config = {
  ...(process.env.INTYG_RPC_URL ? { rpcUrl: process.env.INTYG_RPC_URL } : {}),
  ...(process.env.INTYG_REGISTRY ? { registry: process.env.INTYG_REGISTRY } : {}),
};

buildWeb({ config }).then(
  (result) =>
    console.log(`Built ${result.files.join(", ")} in ${result.outDir} (script ${result.scriptBytes} bytes)`),
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
