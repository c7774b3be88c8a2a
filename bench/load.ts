// Load generation and signing helpers shared by the benchmarks.
import { request, Agent } from "node:http";
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import autocannon from "autocannon";

export interface Measured {
  requestsPerSecond: number;
  /** Requests answered (autocannon's total). */
  requests?: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** Headers of a signed AWS JSON 1.1 call; the signing service is read from the target's prefix. */
export async function signedHeaders(endpoint: string, target: string, body: string, accessKeyId: string, secretAccessKey: string) {
  const url = new URL(endpoint);
  const service = target.startsWith("TrentService.") ? "kms" : "secretsmanager";
  const signer = new SignatureV4({ service, region: "us-east-1", credentials: { accessKeyId, secretAccessKey }, sha256: Sha256 });
  const signed = await signer.sign({
    method: "POST",
    protocol: "http:",
    hostname: url.hostname,
    port: Number(url.port),
    path: "/",
    query: {},
    headers: { host: url.host, "content-type": "application/x-amz-json-1.1", "x-amz-target": target },
    body,
  });
  return signed.headers as Record<string, string>;
}

/** autocannon with one fixed, pre-signed request (valid for the SigV4 skew window). */
export async function hammer(endpoint: string, headers: Record<string, string>, body: string, seconds: number, connections: number): Promise<Measured> {
  const result = await autocannon({ url: endpoint, method: "POST", headers, body, connections, duration: seconds, pipelining: 1 });
  return {
    requestsPerSecond: result.requests.average,
    requests: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

/**
 * Measures several targets in interleaved rounds (A B C, A B C, …) rather than one after another,
 * so that a machine whose speed drifts during the run (a shared virtual machine) slows every
 * target alike and the ratios between them stay fair. Requests/s is the total over all rounds;
 * p50 and p99 are the medians of the rounds' values.
 */
export async function interleaved(
  targets: Record<string, () => Promise<Measured>>,
  rounds: number,
): Promise<Record<string, Measured & { roundRates: number[] }>> {
  const runs: Record<string, Measured[]> = {};
  for (let round = 0; round < rounds; round++) {
    for (const [name, measure] of Object.entries(targets)) (runs[name] ??= []).push(await measure());
  }
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  };
  const out: Record<string, Measured & { roundRates: number[] }> = {};
  for (const [name, measured] of Object.entries(runs)) {
    const rates = measured.map((m) => m.requestsPerSecond);
    out[name] = {
      requestsPerSecond: rates.reduce((a, b) => a + b, 0) / rates.length,
      requests: measured.reduce((a, m) => a + (m.requests ?? 0), 0),
      p50: median(measured.map((m) => m.p50)),
      p99: median(measured.map((m) => m.p99)),
      errors: measured.reduce((a, m) => a + m.errors, 0),
      non2xx: measured.reduce((a, m) => a + m.non2xx, 0),
      roundRates: rates,
    };
  }
  return out;
}

/** A closed loop of `clients` concurrent callers, each sending `make()` requests back to back. */
export async function closedLoop(
  endpoint: string,
  clients: number,
  seconds: number,
  make: () => Promise<{ headers: Record<string, string>; body: string }>,
): Promise<Measured> {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const url = new URL(endpoint);
  const latencies: number[] = [];
  let errors = 0;
  const until = Date.now() + seconds * 1000;
  const one = (headers: Record<string, string>, body: string) =>
    new Promise<number>((resolvePromise) => {
      const started = performance.now();
      const req = request({ agent, host: url.hostname, port: url.port, method: "POST", path: "/", headers }, (res) => {
        res.resume();
        res.on("end", () => resolvePromise(res.statusCode === 200 ? performance.now() - started : -1));
      });
      req.on("error", () => resolvePromise(-1));
      req.end(body);
    });
  const started = Date.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < until) {
        const { headers, body } = await make();
        const ms = await one(headers, body);
        if (ms < 0) errors++;
        else latencies.push(ms);
      }
    }),
  );
  agent.destroy();
  const elapsed = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { requestsPerSecond: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), errors, non2xx: 0 };
}
