// `pnpm --filter @intyg/cli build`: the CLI's bundle into packages/cli/dist (see src/build.ts). With --optional
// (as `pnpm install` runs it), a failed build only warns: the CLI then runs from source.

import { buildCli } from "../src/build";

const optional = process.argv.includes("--optional");

buildCli().then(
  (result) => {
    console.log(
      `Built ${result.files.join(", ")} in ${result.outDir} (${Math.round(result.bytes / 1024)} KB from ${result.inputs} workspace files)`,
    );
    if (result.racy.length > 0) {
      console.warn(
        `${result.racy.slice(0, 3).join(", ")} changed while the bundle was built, so it is not used: the CLI runs from source until \`pnpm --filter @intyg/cli build\` runs again.`,
      );
    }
  },
  (error) => {
    console.error(error);
    if (optional) console.warn("The CLI's bundle could not be built; the CLI runs from source.");
    else process.exitCode = 1;
  },
);
