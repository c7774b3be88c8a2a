// 50 parallel writers on one secret leave exactly one AWSCURRENT and no label on two versions.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  UpdateSecretVersionStageCommand,
  type SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { startServer, storeKinds, type TestServer } from "./harness.js";

function assertLabelInvariants(stages: Record<string, string[]>): void {
  const holders = new Map<string, string[]>();
  for (const [version, labels] of Object.entries(stages)) {
    for (const label of labels) holders.set(label, [...(holders.get(label) ?? []), version]);
  }
  for (const [label, versions] of holders) assert.equal(versions.length, 1, `${label} is on ${versions.length} versions`);
  assert.equal(holders.get("AWSCURRENT")?.length, 1, "exactly one AWSCURRENT");
}

for (const store of storeKinds()) {
  describe(`concurrent writers on ${store}`, () => {
    let server: TestServer;
    let clients: SecretsManagerClient[];

    before(async () => {
      server = await startServer({ store });
      clients = Array.from({ length: 10 }, () => server.client());
    });
    after(async () => {
      for (const c of clients ?? []) c.destroy();
      await server?.dispose();
    });

    test("50 parallel PutSecretValue and UpdateSecretVersionStage", async () => {
      const name = `race-${randomUUID().slice(0, 8)}`;
      const sm = clients[0] as SecretsManagerClient;
      await sm.send(new CreateSecretCommand({ Name: name, SecretString: "v0" }));
      const puts = Array.from({ length: 50 }, (_, i) =>
        (clients[i % clients.length] as SecretsManagerClient).send(
          new PutSecretValueCommand({ SecretId: name, SecretString: `v${i + 1}`, VersionStages: i % 3 === 0 ? ["AWSPENDING", `L${i % 5}`] : undefined }),
        ),
      );
      const results = await Promise.all(puts);
      assert.equal(new Set(results.map((r) => r.VersionId)).size, 50);
      const versions = results.map((r) => r.VersionId as string);
      // Now race label moves: each tries to move AWSCURRENT from whoever has it, and custom labels around.
      const moves = Array.from({ length: 50 }, async (_, i) => {
        const client = clients[i % clients.length] as SecretsManagerClient;
        const d = await client.send(new DescribeSecretCommand({ SecretId: name }));
        const current = Object.entries(d.VersionIdsToStages ?? {}).find(([, l]) => l.includes("AWSCURRENT"))?.[0];
        const target = versions[(i * 7) % versions.length] as string;
        try {
          if (i % 2 === 0) {
            await client.send(new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: "AWSCURRENT", MoveToVersionId: target, RemoveFromVersionId: current }));
          } else {
            await client.send(new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: `X${i % 4}`, MoveToVersionId: target }));
          }
          return "ok";
        } catch (err) {
          // A stale RemoveFromVersionId loses the race: that is the only acceptable failure.
          assert.equal((err as Error).name, "InvalidParameterException", (err as Error).message);
          return "lost";
        }
      });
      const outcomes = await Promise.all(moves);
      assert.ok(outcomes.includes("ok"));
      const d = await sm.send(new DescribeSecretCommand({ SecretId: name }));
      assertLabelInvariants(d.VersionIdsToStages ?? {});
      const current = Object.entries(d.VersionIdsToStages ?? {}).find(([, l]) => l.includes("AWSCURRENT"))?.[0];
      const read = await sm.send(new GetSecretValueCommand({ SecretId: name }));
      assert.equal(read.VersionId, current);
      const listed = await sm.send(new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true }));
      assert.equal(listed.Versions?.length, 51);
    });
  });
}
