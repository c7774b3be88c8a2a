// The two floors the GetSecretValue benchmark is measured against, each a bare node:http server:
//   bare  — answers a fixed JSON body of the same size as Coffer's answer;
//   work  — also reads the body, parses the JSON, verifies SigV4 with a cached signing key and
//           decrypts 100 bytes with AES-256-GCM: the least real work a secrets server can do.
// Run as: node floor-servers.js <bare|work> <port> <responseBytes> <accessKeyId> <secret>
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { verifySigV4 } from "../src/protocol/sigv4.js";

const [mode, portText, sizeText, accessKeyId, secretAccessKey] = process.argv.slice(2);
const body = JSON.stringify({ pad: "x".repeat(Math.max(0, Number(sizeText) - 10)) });
const key = randomBytes(32);
const iv = randomBytes(12);
const cipher = createCipheriv("aes-256-gcm", key, iv);
const sealed = Buffer.concat([cipher.update(randomBytes(100)), cipher.final()]);
const tag = cipher.getAuthTag();
const credential = { secretAccessKey: secretAccessKey as string, version: "1" };

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", async () => {
    if (mode === "work") {
      const raw = Buffer.concat(chunks);
      JSON.parse(raw.toString("utf8"));
      await verifySigV4(
        { method: req.method ?? "POST", rawUrl: req.url ?? "/", rawHeaders: req.rawHeaders, body: raw },
        { now: Date.now(), isValidRegion: () => true, expectedService: "secretsmanager", lookup: (id) => (id === accessKeyId ? credential : undefined) },
      );
      const decipher = createDecipheriv("aes-256-gcm", key, iv);
      decipher.setAuthTag(tag);
      Buffer.concat([decipher.update(sealed), decipher.final()]);
    }
    res.writeHead(200, { "content-type": "application/x-amz-json-1.1", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
});
server.listen(Number(portText), "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`ready on ${typeof address === "object" && address ? address.port : portText}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
