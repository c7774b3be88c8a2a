// Sets up the non-root principal of the GetSecretValue benchmark through the IAM Query API, signed
// by the root key: a user with two attached managed policies and a group policy, its access key,
// and a resource policy on the secret that also grants the user. Returns the user's key pair.
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import { signedHeaders } from "./load.js";

async function iam(endpoint: string, params: Record<string, string>, accessKeyId: string, secretAccessKey: string): Promise<string> {
  const url = new URL(endpoint);
  const body = new URLSearchParams({ ...params, Version: "2010-05-08" }).toString();
  const signer = new SignatureV4({ service: "iam", region: "us-east-1", credentials: { accessKeyId, secretAccessKey }, sha256: Sha256 });
  const signed = await signer.sign({
    method: "POST",
    protocol: "http:",
    hostname: url.hostname,
    port: Number(url.port),
    path: "/",
    query: {},
    headers: { host: url.host, "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    body,
  });
  const response = await fetch(endpoint, { method: "POST", headers: signed.headers as Record<string, string>, body });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`IAM ${params.Action} failed: ${text}`);
  return text;
}

const doc = (statements: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

export async function setUpBenchUser(
  endpoint: string,
  secretName: string,
  root: { accessKeyId: string; secretAccessKey: string },
): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  const call = (params: Record<string, string>) => iam(endpoint, params, root.accessKeyId, root.secretAccessKey);
  const who = await call({ Action: "GetUser" });
  const account = /<UserId>(\d{12})<\/UserId>/.exec(who)?.[1] as string;
  const secretArnPattern = `arn:aws:secretsmanager:us-east-1:${account}:secret:${secretName}-??????`;
  await call({ Action: "CreateUser", UserName: "bench-reader", "Tags.member.1.Key": "team", "Tags.member.1.Value": "bench" });
  await call({ Action: "CreateGroup", GroupName: "bench-readers" });
  await call({ Action: "AddUserToGroup", GroupName: "bench-readers", UserName: "bench-reader" });
  await call({
    Action: "PutGroupPolicy",
    GroupName: "bench-readers",
    PolicyName: "describe",
    PolicyDocument: doc([{ Effect: "Allow", Action: ["secretsmanager:DescribeSecret", "secretsmanager:ListSecrets"], Resource: "*" }]),
  });
  const policies = [
    doc([
      { Sid: "Read", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretArnPattern, Condition: { StringEquals: { "aws:PrincipalTag/team": "bench" } } },
      { Sid: "NoDelete", Effect: "Deny", Action: "secretsmanager:DeleteSecret", Resource: "*" },
    ]),
    doc([{ Effect: "Allow", Action: ["kms:Decrypt", "kms:DescribeKey"], Resource: "*" }, { Effect: "Deny", Action: "iam:*", Resource: "*" }]),
  ];
  for (const [i, text] of policies.entries()) {
    const created = await call({ Action: "CreatePolicy", PolicyName: `bench-policy-${i}`, PolicyDocument: text });
    const arn = /<Arn>([^<]+)<\/Arn>/.exec(created)?.[1] as string;
    await call({ Action: "AttachUserPolicy", UserName: "bench-reader", PolicyArn: arn });
  }
  const key = await call({ Action: "CreateAccessKey", UserName: "bench-reader" });
  const accessKeyId = /<AccessKeyId>([^<]+)</.exec(key)?.[1] as string;
  const secretAccessKey = /<SecretAccessKey>([^<]+)</.exec(key)?.[1] as string;
  // The secret's resource policy: the user's account may read it (through IAM), nobody may delete it.
  const policyBody = JSON.stringify({
    SecretId: secretName,
    ResourcePolicy: doc([
      { Sid: "AccountRead", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "secretsmanager:GetSecretValue", Resource: "*" },
      { Sid: "NoDelete", Effect: "Deny", Principal: "*", Action: "secretsmanager:DeleteSecret", Resource: "*" },
    ]),
  });
  const put = await fetch(endpoint, {
    method: "POST",
    headers: await signedHeaders(endpoint, "secretsmanager.PutResourcePolicy", policyBody, root.accessKeyId, root.secretAccessKey),
    body: policyBody,
  });
  if (put.status !== 200) throw new Error(`PutResourcePolicy failed: ${await put.text()}`);
  return { accessKeyId, secretAccessKey };
}
