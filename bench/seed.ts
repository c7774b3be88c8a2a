// Fills a store with secrets (without values) straight through the Store interface, to measure
// how listing behaves at size without spending the benchmark's time on creating them.
import { randomSuffix, secretArn } from "../src/domain/arn.js";
import { openStore } from "../src/store/open-store.js";

export async function seedSecrets(dbPath: string, total: number): Promise<void> {
  const store = await openStore(`sqlite:${dbPath}`);
  try {
    const boot = JSON.parse((await store.getSetting("bootstrap")) as string) as { accountId: string };
    const region = "us-east-1";
    let have = await store.countSecrets(boot.accountId, region);
    const now = Date.now();
    while (have < total) {
      const batch = Math.min(1000, total - have);
      await store.transaction(async (tx) => {
        for (let i = 0; i < batch; i++) {
          const name = `seed/${String(have + i).padStart(7, "0")}`;
          await tx.insertSecret({
            accountId: boot.accountId,
            region,
            arn: secretArn("aws", region, boot.accountId, name, randomSuffix()),
            name,
            createdAt: now + have + i,
            lastChangedAt: now + have + i,
            lastAccessedAt: null,
            deletedAt: null,
            deletionAt: null,
            stages: {},
            meta: { description: `seeded secret ${have + i}` },
          });
        }
      });
      have += batch;
    }
  } finally {
    await store.close();
  }
}
