// LookupEvents on the CloudTrail JSON 1.1 API, driven by `aws cloudtrail lookup-events` (each
// lookup attribute, time range, paging) and by the SDK (its errors, region scoping).
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { LookupEventsCommand, type CloudTrailClient, type Event, type LookupEventsCommandInput } from "@aws-sdk/client-cloudtrail";
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { aws, cloudTrail, lookupAll, sleep } from "./audit-support.js";
import { ACCESS_KEY_ID, startServer, storeKinds, type TestServer } from "./harness.js";

interface CliEvent {
  EventId: string;
  EventName: string;
  ReadOnly: string;
  AccessKeyId?: string;
  EventTime: number | string;
  EventSource: string;
  Username?: string;
  Resources: Array<{ ResourceType: string; ResourceName: string }>;
  CloudTrailEvent: string;
}

for (const store of storeKinds()) {
  describe(`LookupEvents on ${store}`, () => {
    let server: TestServer;
    let sm: SecretsManagerClient;
    let ct: CloudTrailClient;
    let alpha: { name: string; arn: string };
    let beta: { name: string; arn: string };
    let between: number;

    /** `aws cloudtrail lookup-events …` → its events (the CLI follows NextToken itself). */
    async function cli(...args: string[]): Promise<{ Events: CliEvent[]; NextToken?: string }> {
      const result = await aws(server, ["cloudtrail", "lookup-events", ...args]);
      assert.equal(result.code, 0, result.stderr);
      return JSON.parse(result.stdout) as { Events: CliEvent[]; NextToken?: string };
    }

    const smEvents = (events: CliEvent[]) => events.filter((e) => e.EventSource === "secretsmanager.amazonaws.com");
    const names = (events: CliEvent[]) => smEvents(events).map((e) => e.EventName);

    before(async () => {
      server = await startServer({ store });
      sm = server.client();
      ct = cloudTrail(server);
      const a = `lookup/alpha-${randomUUID().slice(0, 6)}`;
      const b = `lookup/beta-${randomUUID().slice(0, 6)}`;
      alpha = { name: a, arn: (await sm.send(new CreateSecretCommand({ Name: a, SecretString: "alpha-value" }))).ARN as string };
      for (let i = 0; i < 3; i++) await sm.send(new GetSecretValueCommand({ SecretId: a }));
      // eventTime has whole seconds: let the second change so a time range can split the events.
      await sleep(1100);
      between = Date.now();
      await sleep(1100);
      beta = { name: b, arn: (await sm.send(new CreateSecretCommand({ Name: b, SecretString: "beta-value" }))).ARN as string };
      await sm.send(new DescribeSecretCommand({ SecretId: b }));
      await sm.send(new PutSecretValueCommand({ SecretId: b, SecretString: "beta-2" }));
      await sm.send(new GetSecretValueCommand({ SecretId: "lookup/missing" })).catch(() => undefined);
    });
    after(async () => {
      sm?.destroy();
      ct?.destroy();
      await server?.dispose();
    });

    test("without attributes: every event of the account, newest first, each with its record as CloudTrailEvent", async () => {
      const { Events } = await cli();
      assert.deepEqual(names(Events), [
        "GetSecretValue",
        "PutSecretValue",
        "DescribeSecret",
        "CreateSecret",
        "GetSecretValue",
        "GetSecretValue",
        "GetSecretValue",
        "CreateSecret",
      ]);
      for (let i = 1; i < Events.length; i++) assert.ok(Number(Events[i - 1]!.EventTime) >= Number(Events[i]!.EventTime));
      for (const event of Events) {
        const record = JSON.parse(event.CloudTrailEvent) as { eventID: string; eventName: string; eventSource: string; readOnly: boolean };
        assert.equal(record.eventID, event.EventId);
        assert.equal(record.eventName, event.EventName);
        assert.equal(record.eventSource, event.EventSource);
        assert.equal(String(record.readOnly), event.ReadOnly);
        assert.equal(event.AccessKeyId, ACCESS_KEY_ID);
        assert.equal(event.Username, "root");
      }
      const create = smEvents(Events).at(-1)!;
      assert.deepEqual(create.Resources, [{ ResourceType: "AWS::SecretsManager::Secret", ResourceName: alpha.arn }]);
    });

    test("EventName", async () => {
      assert.deepEqual(names((await cli("--lookup-attributes", "AttributeKey=EventName,AttributeValue=CreateSecret")).Events), [
        "CreateSecret",
        "CreateSecret",
      ]);
      assert.equal((await cli("--lookup-attributes", "AttributeKey=EventName,AttributeValue=GetSecretValue")).Events.length, 4);
      assert.equal((await cli("--lookup-attributes", "AttributeKey=EventName,AttributeValue=getsecretvalue")).Events.length, 0, "case-sensitive");
    });

    test("ResourceName (the ARN or the name) and ResourceType", async () => {
      const byArn = await cli("--lookup-attributes", `AttributeKey=ResourceName,AttributeValue=${alpha.arn}`);
      assert.deepEqual(names(byArn.Events), ["GetSecretValue", "GetSecretValue", "GetSecretValue", "CreateSecret"]);
      const byName = await cli("--lookup-attributes", `AttributeKey=ResourceName,AttributeValue=${beta.name}`);
      assert.deepEqual(names(byName.Events), ["PutSecretValue", "DescribeSecret", "CreateSecret"]);
      for (const e of byName.Events) assert.deepEqual(e.Resources, [{ ResourceType: "AWS::SecretsManager::Secret", ResourceName: beta.arn }]);
      // A failed call names the secret as the caller gave it.
      const failed = await cli("--lookup-attributes", "AttributeKey=ResourceName,AttributeValue=lookup/missing");
      assert.deepEqual(names(failed.Events), ["GetSecretValue"]);
      const byType = await cli("--lookup-attributes", "AttributeKey=ResourceType,AttributeValue=AWS::SecretsManager::Secret");
      assert.equal(smEvents(byType.Events).length, 8);
      assert.equal((await cli("--lookup-attributes", "AttributeKey=ResourceType,AttributeValue=AWS::KMS::Key")).Events.length, 0);
    });

    test("Username, AccessKeyId, EventSource, ReadOnly, EventId", async () => {
      assert.equal(smEvents((await cli("--lookup-attributes", "AttributeKey=Username,AttributeValue=root")).Events).length, 8);
      assert.equal((await cli("--lookup-attributes", "AttributeKey=Username,AttributeValue=alice")).Events.length, 0);
      assert.equal(smEvents((await cli("--lookup-attributes", `AttributeKey=AccessKeyId,AttributeValue=${ACCESS_KEY_ID}`)).Events).length, 8);
      assert.equal((await cli("--lookup-attributes", "AttributeKey=AccessKeyId,AttributeValue=AKIANOBODY0000000000")).Events.length, 0);
      const fromSm = await cli("--lookup-attributes", "AttributeKey=EventSource,AttributeValue=secretsmanager.amazonaws.com");
      assert.equal(fromSm.Events.length, 8);
      // The lookups themselves are audited too, as cloudtrail.amazonaws.com events.
      const fromCt = await cli("--lookup-attributes", "AttributeKey=EventSource,AttributeValue=cloudtrail.amazonaws.com");
      assert.ok(fromCt.Events.length > 0 && fromCt.Events.every((e) => e.EventName === "LookupEvents" && e.ReadOnly === "true"));
      const writes = await cli("--lookup-attributes", "AttributeKey=ReadOnly,AttributeValue=false");
      assert.deepEqual(names(writes.Events), ["PutSecretValue", "CreateSecret", "CreateSecret"]);
      const reads = await cli("--lookup-attributes", "AttributeKey=ReadOnly,AttributeValue=true");
      assert.ok(reads.Events.every((e) => e.ReadOnly === "true"));
      // Only the exact texts match: "True" or "yes" is neither.
      for (const other of ["True", "yes"]) assert.equal((await cli("--lookup-attributes", `AttributeKey=ReadOnly,AttributeValue=${other}`)).Events.length, 0);
      const one = writes.Events[0]!;
      const byId = await cli("--lookup-attributes", `AttributeKey=EventId,AttributeValue=${one.EventId}`);
      assert.deepEqual(byId.Events.map((e) => e.EventId), [one.EventId]);
    });

    test("StartTime and EndTime bound the events inclusively", async () => {
      const since = await cli("--start-time", new Date(between).toISOString(), "--lookup-attributes", "AttributeKey=EventSource,AttributeValue=secretsmanager.amazonaws.com");
      assert.deepEqual(names(since.Events), ["GetSecretValue", "PutSecretValue", "DescribeSecret", "CreateSecret"]);
      const until = await cli("--end-time", new Date(between).toISOString(), "--lookup-attributes", "AttributeKey=EventSource,AttributeValue=secretsmanager.amazonaws.com");
      assert.deepEqual(names(until.Events), ["GetSecretValue", "GetSecretValue", "GetSecretValue", "CreateSecret"]);
      const first = until.Events.at(-1)!;
      const exact = await cli("--start-time", String(first.EventTime), "--end-time", String(first.EventTime), "--lookup-attributes", `AttributeKey=EventId,AttributeValue=${first.EventId}`);
      assert.deepEqual(exact.Events.map((e) => e.EventId), [first.EventId]);
    });

    test("paging: the CLI follows NextToken, --max-items and --starting-token resume where a page ended", async () => {
      const attribute = ["--lookup-attributes", "AttributeKey=EventSource,AttributeValue=secretsmanager.amazonaws.com"];
      const all = await cli(...attribute);
      const paged = await cli(...attribute, "--page-size", "3");
      assert.deepEqual(paged.Events.map((e) => e.EventId), all.Events.map((e) => e.EventId));
      const firstPart = await cli(...attribute, "--max-items", "5", "--page-size", "2");
      assert.equal(firstPart.Events.length, 5);
      assert.ok(firstPart.NextToken);
      const rest = await cli(...attribute, "--page-size", "2", "--starting-token", firstPart.NextToken);
      assert.deepEqual([...firstPart.Events, ...rest.Events].map((e) => e.EventId), all.Events.map((e) => e.EventId));
      // The SDK's own paging, with MaxResults.
      const page = await ct.send(new LookupEventsCommand({ MaxResults: 2, LookupAttributes: [{ AttributeKey: "ReadOnly", AttributeValue: "false" }] }));
      assert.equal(page.Events?.length, 2);
      assert.ok(page.NextToken);
      const next = await ct.send(
        new LookupEventsCommand({ MaxResults: 2, NextToken: page.NextToken, LookupAttributes: [{ AttributeKey: "ReadOnly", AttributeValue: "false" }] }),
      );
      assert.deepEqual(next.Events?.map((e: Event) => e.EventName), ["CreateSecret"]);
      assert.equal(next.NextToken, undefined);
    });

    test("errors: attributes, MaxResults, time range, NextToken, event category", async () => {
      const fails = async (input: LookupEventsCommandInput, name: string) => {
        const err = (await ct.send(new LookupEventsCommand(input)).catch((e: unknown) => e)) as Error & { $metadata?: { httpStatusCode?: number } };
        assert.equal(err.name, name, err.message);
        assert.equal(err.$metadata?.httpStatusCode, 400);
        assert.ok(err.message.length > 0);
      };
      await fails(
        {
          LookupAttributes: [
            { AttributeKey: "EventName", AttributeValue: "GetSecretValue" },
            { AttributeKey: "Username", AttributeValue: "root" },
          ],
        },
        "InvalidLookupAttributesException",
      );
      await fails({ LookupAttributes: [{ AttributeKey: "SecretName" as never, AttributeValue: "x" }] }, "InvalidLookupAttributesException");
      await fails({ MaxResults: 0 }, "InvalidMaxResultsException");
      await fails({ MaxResults: 51 }, "InvalidMaxResultsException");
      await fails({ StartTime: new Date(between + 1000), EndTime: new Date(between) }, "InvalidTimeRangeException");
      await fails({ NextToken: "not-a-token" }, "InvalidNextTokenException");
      const page = await ct.send(new LookupEventsCommand({ MaxResults: 1 }));
      await fails({ MaxResults: 1, NextToken: page.NextToken, LookupAttributes: [{ AttributeKey: "ReadOnly", AttributeValue: "true" }] }, "InvalidNextTokenException");
      await fails({ EventCategory: "everything" as never }, "InvalidEventCategoryException");
      const insights = await ct.send(new LookupEventsCommand({ EventCategory: "insight" }));
      assert.deepEqual(insights.Events, []);
    });

    test("events are scoped to the region the lookup is signed for", async () => {
      const eu = server.client({ region: "eu-west-1" });
      const euTrail = cloudTrail(server, "eu-west-1");
      try {
        await eu.send(new CreateSecretCommand({ Name: `lookup/eu-${randomUUID().slice(0, 6)}`, SecretString: "eu" }));
        const euEvents = (await lookupAll(euTrail)).filter((e) => e.EventSource === "secretsmanager.amazonaws.com");
        assert.deepEqual(euEvents.map((e) => e.EventName), ["CreateSecret"]);
        const usEvents = (await lookupAll(ct)).filter((e) => e.EventSource === "secretsmanager.amazonaws.com");
        assert.equal(usEvents.length, 8);
      } finally {
        eu.destroy();
        euTrail.destroy();
      }
    });
  });
}
