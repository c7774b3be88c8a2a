// Records as JSON Lines on the server's standard output, for a log pipeline that collects it.
// Delivery is at least once: after a crash the lines since the last committed cursor come again.
import type { AuditSink } from "./sink-runner.js";

export class StdoutSink implements AuditSink {
  readonly name = "stdout";

  constructor(private readonly stream: NodeJS.WritableStream = process.stdout) {}

  async open(): Promise<undefined> {
    return undefined;
  }

  write(lines: string): Promise<void> {
    // Resolves once the stream took the data: a slow reader slows this sink, never a request.
    return new Promise((resolve, reject) => {
      this.stream.write(lines, (err) => (err ? reject(err) : resolve()));
    });
  }

  async close(): Promise<void> {}
}
