import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, parseServerConfig } from "./config.js";

describe("server configuration", () => {
  it("takes flags over COFFER_* variables over defaults", () => {
    const config = parseServerConfig(["--log-level", "debug"], { COFFER_LOG_LEVEL: "warn", COFFER_WORKERS: "3" });
    assert.equal(config.logLevel, "debug");
    assert.equal(config.workers, 3);
    assert.equal(config.port, 7600);
    assert.equal(parseServerConfig([], {}).logLevel, "info");
  });

  it("refuses values it cannot use, naming the flag and what it takes", () => {
    const refused: Array<[string[], NodeJS.ProcessEnv, RegExp]> = [
      [[], { COFFER_LOG_LEVEL: "loud" }, /^--log-level must be one of: info, fatal, error, warn, debug, trace, silent$/],
      [["--workers", "0"], {}, /^--workers must be an integer from 1 to 64$/],
      [["--region", "mars"], {}, /^not a region name: mars$/],
      [["--tls-cert", "cert.pem"], {}, /^--tls-cert and --tls-key go together$/],
      [["--audit-read-durability", "maybe"], {}, /^--audit-read-durability must be one of: process, full$/],
      [["--account-id", "12"], {}, /^--account-id must be 12 digits$/],
    ];
    for (const [argv, env, message] of refused) {
      assert.throws(() => parseServerConfig(argv, env), (err: unknown) => err instanceof ConfigError && message.test(err.message), argv.join(" ") || JSON.stringify(env));
    }
  });
});
