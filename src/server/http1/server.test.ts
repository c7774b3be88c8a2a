import assert from "node:assert/strict";
import { type AddressInfo, connect } from "node:net";
import { after, before, describe, it } from "node:test";
import type { Http1Request } from "./connection.js";
import { headerValue, parseRequestHead } from "./request-head.js";
import { Http1Server, type Http1ServerOptions } from "./server.js";

/** A server that answers each request with what it received, as JSON. */
function echoServer(overrides: Partial<Http1ServerOptions> = {}) {
  const seen: Http1Request[] = [];
  const server = new Http1Server({
    maxHeaderBytes: 1024,
    maxBodyBytes: 64,
    requestTimeoutMs: 5_000,
    headersTimeoutMs: 5_000,
    keepAliveTimeoutMs: 5_000,
    checkIntervalMs: 50,
    handle: async (request) => {
      seen.push(request);
      if (request.head.target === "/slow") await new Promise((r) => setTimeout(r, 300));
      const body = JSON.stringify({ method: request.head.method, target: request.head.target, body: request.body.toString("utf8") });
      return { status: 200, headers: { "content-type": "application/json" }, body };
    },
    tooLarge: () => ({ status: 413, headers: { "content-type": "application/json" }, body: '{"__type":"RequestEntityTooLargeException"}' }),
    ...overrides,
  });
  return { server, seen };
}

async function listening(server: Http1Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen({ host: "127.0.0.1", port: 0 }, resolve));
  return (server.address() as AddressInfo).port;
}

/**
 * Sends `parts` (with `gapMs` between them) and collects what comes back until the server closes
 * the connection or nothing more arrives for `quietMs`.
 */
function exchange(port: number, parts: string[], options: { gapMs?: number; quietMs?: number } = {}): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let text = "";
    let quiet: NodeJS.Timeout | undefined;
    const finish = (closed: boolean) => {
      clearTimeout(quiet);
      socket.destroy();
      resolve({ text, closed });
    };
    const arm = () => {
      clearTimeout(quiet);
      quiet = setTimeout(() => finish(false), options.quietMs ?? 300);
    };
    socket.on("data", (d: Buffer) => {
      text += d.toString("latin1");
      arm();
    });
    socket.on("error", () => undefined);
    socket.on("close", () => finish(true));
    socket.on("connect", async () => {
      for (const part of parts) {
        socket.write(part);
        if (options.gapMs) await new Promise((r) => setTimeout(r, options.gapMs));
      }
      arm();
    });
  });
}

/** The status lines in `text` (an answer's body is not followed by a line end). */
const statusLines = (text: string) => [...text.matchAll(/HTTP\/1\.1 \d{3} [^\r]*/g)].map((m) => m[0]);
const post = (target: string, body: string, extra = "") =>
  `POST ${target} HTTP/1.1\r\nHost: x\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;

describe("HTTP/1.1 server", () => {
  const { server, seen } = echoServer();
  let port = 0;
  before(async () => {
    port = await listening(server);
  });
  after(async () => {
    await new Promise<void>((r) => server.close(r));
  });

  it("answers a Content-Length request with Content-Length, Date and keep-alive, and serves the next on the same connection", async () => {
    const { text, closed } = await exchange(port, [post("/a", '{"x":1}'), post("/b", "")], { gapMs: 50 });
    assert.equal(closed, false);
    assert.deepEqual(statusLines(text), ["HTTP/1.1 200 OK", "HTTP/1.1 200 OK"]);
    assert.match(text, /\r\nContent-Length: \d+\r\n/);
    assert.match(text, /\r\nDate: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT\r\n/);
    assert.match(text, /\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n/);
    assert.ok(text.includes('{"method":"POST","target":"/a","body":"{\\"x\\":1}"}'));
    assert.ok(text.includes('"target":"/b","body":""'));
  });

  it("answers pipelined requests in order", async () => {
    const { text } = await exchange(port, [post("/slow", "1") + post("/fast", "2") + post("/last", "3")], { quietMs: 1000 });
    const targets = [...text.matchAll(/"target":"(\/\w+)"/g)].map((m) => m[1]);
    assert.deepEqual(targets, ["/slow", "/fast", "/last"]);
  });

  it("reads a chunked body, skipping chunk extensions and trailer fields, sent in pieces", async () => {
    const head = "POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    const { text } = await exchange(port, [head, "5;ext=1\r\nhel", "lo\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n"], { gapMs: 30 });
    assert.deepEqual(statusLines(text), ["HTTP/1.1 200 OK"]);
    assert.ok(text.includes('"body":"hello world"'));
  });

  it("sends 100 Continue to a client that waits for it before its body", async () => {
    const head = "POST /expect HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n";
    const { text } = await exchange(port, [head, "body"], { gapMs: 100 });
    assert.deepEqual(statusLines(text), ["HTTP/1.1 100 Continue", "HTTP/1.1 200 OK"]);
    assert.ok(text.includes('"body":"body"'));
  });

  it("closes after the answer when the client asks, or speaks HTTP/1.0 without keep-alive", async () => {
    const asked = await exchange(port, [post("/close", "", "Connection: close\r\n")], { quietMs: 2000 });
    assert.equal(asked.closed, true);
    assert.match(asked.text, /\r\nConnection: close\r\n/);
    const old = await exchange(port, ["POST /old HTTP/1.0\r\nContent-Length: 0\r\n\r\n"], { quietMs: 2000 });
    assert.equal(old.closed, true);
    assert.deepEqual(statusLines(old.text), ["HTTP/1.1 200 OK"]);
    const kept = await exchange(port, ["POST /kept HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n"]);
    assert.equal(kept.closed, false);
  });

  it("answers HEAD without a body", async () => {
    const { text } = await exchange(port, ["HEAD /h HTTP/1.1\r\nHost: x\r\n\r\n"]);
    assert.deepEqual(statusLines(text), ["HTTP/1.1 200 OK"]);
    assert.ok(text.endsWith("\r\n\r\n"), JSON.stringify(text));
  });

  const refusals: Array<[string, string, number]> = [
    ["a malformed request line", "POST /\r\n\r\n", 400],
    ["a blank inside the target", "POST /a b HTTP/1.1\r\n\r\n", 400],
    ["an unknown protocol version", "POST / HTTP/2.0\r\n\r\n", 505],
    ["both Content-Length and Transfer-Encoding", "POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400],
    ["two different Content-Lengths", "POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400],
    ["a Content-Length that is not a number", "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400],
    ["a transfer coding other than chunked", "POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501],
    ["a folded header line", "POST / HTTP/1.1\r\nX-A: 1\r\n  continued\r\n\r\n", 400],
    ["a blank before the colon", "POST / HTTP/1.1\r\nX-A : 1\r\n\r\n", 400],
    ["a lone LF inside the head", "POST / HTTP/1.1\r\nX-A: 1\nX-B: 2\r\n\r\n", 400],
    ["a control character in a value", "POST / HTTP/1.1\r\nX-A: a\u0001b\r\n\r\n", 400],
    ["a bad chunk size", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400],
    ["a head over the size limit", `POST / HTTP/1.1\r\nX-Pad: ${"a".repeat(2000)}\r\n\r\n`, 431],
    ["a head that never ends within the limit", `POST / HTTP/1.1\r\nX-Pad: ${"a".repeat(2000)}`, 431],
  ];
  for (const [what, request, status] of refusals) {
    it(`refuses ${what} with ${status} and closes`, async () => {
      const before = seen.length;
      const { text, closed } = await exchange(port, [request], { quietMs: 2000 });
      assert.equal(closed, true);
      assert.equal(statusLines(text)[0]?.split(" ")[1], String(status), text);
      assert.equal(seen.length, before, "the handler must not see it");
    });
  }

  it("refuses a body over the limit before reading it, and a chunked one once it passes the limit", async () => {
    const declared = await exchange(port, ["POST / HTTP/1.1\r\nContent-Length: 1000\r\n\r\n"], { quietMs: 2000 });
    assert.equal(declared.closed, true);
    assert.ok(declared.text.startsWith("HTTP/1.1 413 "));
    assert.ok(declared.text.includes("RequestEntityTooLargeException"));
    const chunked = await exchange(port, ["POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n" + "a".repeat(64) + "\r\n1\r\n"], { quietMs: 2000 });
    assert.equal(chunked.closed, true);
    assert.ok(chunked.text.startsWith("HTTP/1.1 413 "));
  });

  it("serves node's own HTTP client (fetch) over kept-alive connections", async () => {
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/fetch`, { method: "POST", body: `n${i}` });
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { method: "POST", target: "/fetch", body: `n${i}` });
    }
  });
});

describe("HTTP/1.1 server timeouts and closing", () => {
  it("cuts off a client whose head stalls with 408, and closes idle kept-alive connections", async () => {
    const { server } = echoServer({ headersTimeoutMs: 200, requestTimeoutMs: 400, keepAliveTimeoutMs: 300 });
    const port = await listening(server);
    try {
      const started = Date.now();
      const stalled = await exchange(port, ["POST / HTTP/1.1\r\nHost: x\r\n"], { quietMs: 3000 });
      assert.equal(stalled.closed, true);
      assert.ok(stalled.text.startsWith("HTTP/1.1 408 "), stalled.text);
      assert.ok(Date.now() - started < 2000);
      const body = await exchange(port, ["POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc"], { quietMs: 3000 });
      assert.ok(body.text.startsWith("HTTP/1.1 408 "), body.text);
      const idle = await exchange(port, [post("/x", "")], { quietMs: 3000 });
      assert.equal(idle.closed, true);
      assert.deepEqual(statusLines(idle.text), ["HTTP/1.1 200 OK"]);
    } finally {
      await new Promise<void>((r) => server.close(r));
    }
  });

  it("on close, lets a request being handled finish with Connection: close, and then reports closed", async () => {
    const { server } = echoServer();
    const port = await listening(server);
    const answer = exchange(port, [post("/slow", "")], { quietMs: 3000 });
    await new Promise((r) => setTimeout(r, 100));
    let closedAt = 0;
    const closed = new Promise<void>((r) => server.close(() => ((closedAt = Date.now()), r())));
    const { text, closed: connectionClosed } = await answer;
    await closed;
    assert.deepEqual(statusLines(text), ["HTTP/1.1 200 OK"]);
    assert.match(text, /\r\nConnection: close\r\n/);
    assert.equal(connectionClosed, true);
    assert.ok(closedAt > 0);
  });
});

describe("request heads", () => {
  it("reads a header as node:http's req.headers gives it: first of a single-valued field, others joined", () => {
    const result = parseRequestHead(Buffer.from("POST / HTTP/1.1\r\nHost: a\r\nhost: b\r\nX-Multi: 1\r\nx-multi: 2\r\nCookie: c=1\r\ncookie: d=2\r\n\r\n"), 1024);
    assert.equal(result.kind, "head");
    if (result.kind !== "head") return;
    const table = result.head.table;
    assert.deepEqual([headerValue(table, "host"), headerValue(table, "x-multi"), headerValue(table, "cookie"), headerValue(table, "absent")], ["a", "1, 2", "c=1; d=2", undefined]);
    assert.deepEqual(table.get("host"), ["a", "b"]);
  });

  it("keeps header names' case and trims blanks around values", () => {
    const result = parseRequestHead(Buffer.from("\r\nGET /x?y=1 HTTP/1.1\r\nX-Amz-Date:  20261129T000000Z \t\r\n\r\n"), 1024);
    assert.equal(result.kind, "head");
    if (result.kind !== "head") return;
    assert.deepEqual(result.head.rawHeaders, ["X-Amz-Date", "20261129T000000Z"]);
    assert.equal(result.head.target, "/x?y=1");
    assert.equal(result.head.keepAlive, true);
  });
});

describe("HTTP/1.1 server, clients that send in pieces or stop sending", () => {
  it("reads a head trickled a byte at a time, and a body in pieces", async () => {
    const { server } = echoServer();
    const port = await listening(server);
    try {
      const request = post("/trickle", "0123456789");
      const parts = [...request.slice(0, -10)].concat(["01234", "56789"]);
      const { text } = await exchange(port, parts, { gapMs: 2, quietMs: 1000 });
      assert.deepEqual(statusLines(text), ["HTTP/1.1 200 OK"]);
      assert.ok(text.includes('"body":"0123456789"'));
    } finally {
      await new Promise<void>((r) => server.close(r));
    }
  });

  it("answers a client that shuts down its sending side right after its request, then closes", async () => {
    const { server } = echoServer();
    const port = await listening(server);
    try {
      const text = await new Promise<string>((resolve) => {
        const socket = connect(port, "127.0.0.1", () => socket.end(post("/slow", "x")));
        let received = "";
        socket.on("data", (d: Buffer) => (received += d.toString("latin1")));
        socket.on("close", () => resolve(received));
      });
      // The shutdown reached the server while it was handling the request (it takes 300 ms).
      assert.deepEqual(statusLines(text), ["HTTP/1.1 200 OK"]);
      assert.ok(text.includes('"target":"/slow","body":"x"'));
      assert.match(text, /\r\nConnection: close\r\n/);
    } finally {
      await new Promise<void>((r) => server.close(r));
    }
  });
});

describe("HTTP/1.1 server under garbage", () => {
  it("answers or closes on random bytes and keeps serving", async () => {
    const { server } = echoServer();
    const port = await listening(server);
    try {
      // Deterministic pseudo-random pieces of request-like text, so a failure can be replayed.
      let state = 12345;
      const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31);
      const alphabet = ["\r\n", "\r", "\n", ":", " ", "\t", "POST", "/", "HTTP/1.1", "Content-Length", "Transfer-Encoding", "chunked", "0", "5", "ff", ";", "\u0000", "\u00ff", "a"];
      const attempts = Array.from({ length: 60 }, () => Array.from({ length: 5 + (next() % 60) }, () => alphabet[next() % alphabet.length]).join(""));
      await Promise.all(attempts.map((text) => exchange(port, [text], { quietMs: 150 })));
      const { text } = await exchange(port, [post("/after", "ok")]);
      assert.deepEqual(statusLines(text), ["HTTP/1.1 200 OK"]);
    } finally {
      await new Promise<void>((r) => server.close(r));
    }
  });
});

describe("HTTP/1.1 server and a client that does not read", () => {
  it("stops handling its pipelined requests until it reads its answers, then answers them all in order", async () => {
    let handled = 0;
    const big = "x".repeat(64 * 1024);
    const { server } = echoServer({
      handle: async (request) => {
        handled++;
        return { status: 200, headers: {}, body: `${request.head.target}:${big}` };
      },
    });
    const port = await listening(server);
    const total = 300;
    try {
      const socket = connect(port, "127.0.0.1");
      await new Promise<void>((r) => socket.once("connect", () => r()));
      socket.pause(); // read nothing for now
      let requests = "";
      for (let i = 0; i < total; i++) requests += post(`/r${i}`, "");
      socket.write(requests);
      await new Promise((r) => setTimeout(r, 1000));
      const whileNotReading = handled;
      // Socket buffers on both sides hold some answers; nowhere near all 300 of 64 KB.
      assert.ok(whileNotReading < total / 2, `handled ${whileNotReading} of ${total} while the client read nothing`);
      let received = "";
      const order: string[] = [];
      await new Promise<void>((resolve) => {
        socket.on("data", (d: Buffer) => {
          received += d.toString("latin1");
          let end = 0;
          for (const m of received.matchAll(/\r\n\r\n(\/r\d+):/g)) {
            order.push(m[1] as string);
            end = m.index + m[0].length;
          }
          // Keep only what may hold the start of a marker not yet complete.
          received = received.slice(Math.max(end, received.length - 64));
          if (order.length === total) resolve();
        });
        socket.resume();
      });
      socket.destroy();
      assert.equal(handled, total);
      assert.deepEqual(order, Array.from({ length: total }, (_, i) => `/r${i}`));
    } finally {
      await new Promise<void>((r) => server.close(r));
    }
  });
});
