// Secrets scheduled for deletion are purged by the server itself when their recovery window
// ends. Seven days is too long to wait in a test, so the test moves the purge date of a
// scheduled secret into the past directly in the store, as time would.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, describe, test } from "node:test";
import { CreateSecretCommand, DeleteSecretCommand, DescribeSecretCommand, GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { openStore } from "../src/store/open-store.js";
import { startServer, storeKinds, type TestServer } from "./harness.js";

for (const store of storeKinds()) {
  describe(`deletion purge on ${store}`, () => {
    let server: TestServer | undefined;
    after(async () => server?.dispose());

    test("a secret past its recovery window is purged and its name is free again", async () => {
      server = await startServer({ store, args: ["--purge-interval", "1"] });
      const sm = server.client();
      const name = `purge-${randomUUID().slice(0, 8)}`;
      const keep = `keep-${randomUUID().slice(0, 8)}`;
      const { ARN } = await sm.send(new CreateSecretCommand({ Name: name, SecretString: "old" }));
      await sm.send(new CreateSecretCommand({ Name: keep, SecretString: "stays" }));
      await sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }));
      await sm.send(new DeleteSecretCommand({ SecretId: keep, RecoveryWindowInDays: 30 }));

      const direct = await openStore(server.storeUrl);
      try {
        await direct.transaction(async (tx) => {
          const row = await tx.getSecretByArn(ARN as string);
          assert.ok(row?.deletionAt);
          await tx.updateSecret({ ...row, deletionAt: Date.now() - 1000 });
        });
      } finally {
        await direct.close();
      }
      let purged = false;
      for (let i = 0; i < 50 && !purged; i++) {
        await new Promise((r) => setTimeout(r, 200));
        purged = await sm.send(new DescribeSecretCommand({ SecretId: name })).then(
          () => false,
          (e: Error) => e.name === "ResourceNotFoundException",
        );
      }
      assert.ok(purged, "the secret was purged within 10 s");
      // The other scheduled secret is still within its window and is kept.
      assert.ok((await sm.send(new DescribeSecretCommand({ SecretId: keep }))).DeletedDate);
      const again = await sm.send(new CreateSecretCommand({ Name: name, SecretString: "new" }));
      assert.notEqual(again.ARN, ARN);
      assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, "new");
      sm.destroy();
    });
  });
}
