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
      const sm = server.client();
      // Each writer fills secrets of its own, moving to a fresh one well before a secret's 100
      // versions (which are all younger than a day, so a 101st would be refused).
      const PER_SECRET = 90;
      const base = randomUUID().slice(0, 6);
      const acknowledged = new Map<string, { versionId: string; value: string }[]>();
      let stop = false;
      const writers = Array.from({ length: 4 }, async (_, w) => {
        const client: SecretsManagerClient = server!.client();
        try {
          for (let generation = 0; !stop; generation++) {
            const name = `durable-${base}-${w}-${generation}`;
            await client.send(new CreateSecretCommand({ Name: name, SecretString: "start" }));
            const list: { versionId: string; value: string }[] = [];
            acknowledged.set(name, list);
            for (let i = 0; !stop && i < PER_SECRET; i++) {
              const value = `w${w}-${generation}-${i}-${randomUUID()}`;
              const out = await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: value }));
              list.push({ versionId: out.VersionId as string, value });
            }
          }
        } catch {
          // the server died under us: this write was not acknowledged
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
      for (const [name, list] of acknowledged) {
        // The newest acknowledged write holds AWSCURRENT, or a later one that the kill cut off
        // after it had committed.
        const d = await after.send(new DescribeSecretCommand({ SecretId: name }));
        const stages = d.VersionIdsToStages ?? {};
        const holders = Object.entries(stages).filter(([, l]) => l.includes("AWSCURRENT"));
        assert.equal(holders.length, 1);
        // Every acknowledged version reads back with its exact value.
        for (const { versionId, value } of list) {
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
