// kill -9 during a write loop: every acknowledged write is readable after restart, and the label
// invariants hold.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, describe, test } from "node:test";
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { startServer, storeKinds, type TestServer } from "./harness.js";

for (const store of storeKinds()) {
  describe(`durability on ${store}`, () => {
    let server: TestServer | undefined;
    after(async () => server?.dispose());

    test("acknowledged writes survive kill -9", async () => {
      server = await startServer({ store });
      const names = Array.from({ length: 4 }, (_, i) => `durable-${i}-${randomUUID().slice(0, 6)}`);
      const sm = server.client();
      for (const name of names) await sm.send(new CreateSecretCommand({ Name: name, SecretString: "start" }));
      const acknowledged = new Map<string, { versionId: string; value: string }[]>();
      let stop = false;
      const writers = names.map(async (name, w) => {
        const client: SecretsManagerClient = server!.client();
        const list: { versionId: string; value: string }[] = [];
        acknowledged.set(name, list);
        for (let i = 0; !stop; i++) {
          const value = `w${w}-${i}-${randomUUID()}`;
          try {
            const out = await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: value }));
            list.push({ versionId: out.VersionId as string, value });
          } catch {
            break; // the server died under us: this write was not acknowledged
          }
        }
        client.destroy();
      });
      await new Promise((r) => setTimeout(r, 1500));
      await server.kill();
      stop = true;
      await Promise.all(writers);
      sm.destroy();
      const total = [...acknowledged.values()].reduce((n, l) => n + l.length, 0);
      assert.ok(total > 20, `only ${total} writes were acknowledged before the kill`);

      server = await server.restart();
      const after = server.client();
      for (const name of names) {
        const list = acknowledged.get(name) ?? [];
        // The newest acknowledged write holds AWSCURRENT, or a later one that the kill cut off
        // after it had committed.
        const d = await after.send(new DescribeSecretCommand({ SecretId: name }));
        const stages = d.VersionIdsToStages ?? {};
        const holders = Object.entries(stages).filter(([, l]) => l.includes("AWSCURRENT"));
        assert.equal(holders.length, 1);
        // Every acknowledged version still retained reads back with its exact value. A secret keeps
        // 100 versions; writes that committed but whose answer the kill cut off may hold a few of
        // those places, so the newest 95 acknowledged ones must all be there.
        for (const { versionId, value } of list.slice(-95)) {
          const got = await after.send(new GetSecretValueCommand({ SecretId: name, VersionId: versionId }));
          assert.equal(got.SecretString, value);
        }
        const last = list[list.length - 1];
        if (last) {
          const current = await after.send(new GetSecretValueCommand({ SecretId: name }));
          const ackIndex = list.findIndex((x) => x.versionId === current.VersionId);
          assert.ok(ackIndex === list.length - 1 || ackIndex === -1, "AWSCURRENT is the last acknowledged write or a later one");
        }
      }
      after.destroy();
    });
  });
}
