// `pnpm --filter @intyg/cli build`: the CLI's bundle into packages/cli/dist (see src/build.ts).

import { buildCli } from "../src/build";

buildCli().then(
  (result) =>
    console.log(
      `Built ${result.files.join(", ")} in ${result.outDir} (${Math.round(result.bytes / 1024)} KB from ${result.inputs} workspace files)`,
    ),
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
