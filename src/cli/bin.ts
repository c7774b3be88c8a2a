// The `coffer` executable's body, runnable from any build directory (bin/coffer.js loads it
// from ./dist; tests spawn it from the build they run in).
import { main } from "./main.js";

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`coffer: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
