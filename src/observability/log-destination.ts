import { writeSync } from 'node:fs';

/** Where log lines go: pino's stream and the access log both write whole lines (ending in a newline) to it. */
export interface LogDestination {
  write(line: string): void;
}

/** Lines are gathered up to this many bytes, then written in one system call. */
const batchBytes = 32 * 1024;
/** A line waits at most this long for others to share its write. */
const flushAfterMs = 50;
/** How long a write may wait on a full, non-blocking standard output before the batch is dropped. */
const blockedForMs = 1000;
/** pino's level number for warn: lines at this level or above are written at once. */
const warn = 40;

/**
 * Standard output, written synchronously (no thread pool, no lost order) but in batches: the access log writes a
 * line per request, and one `write` system call per line, with the reader woken each time, cost about 10 µs a
 * request (npm run bench:observability). Lines wait in one buffer until it holds 32 KiB or 50 ms pass; a line at
 * warn or above (pino passes its level, see `lastLevel`) is written at once with everything before it, and the
 * buffer is written on exit too, so a crash's last words and the requests before them are kept. Only a kill
 * that gives no exit (SIGKILL, the OOM killer) loses what waits: at most 50 ms of access-log lines.
 */
export class BatchedStdout implements LogDestination {
  /** Set by pino before each of its writes (its metadata protocol); undefined for the access log's lines. */
  lastLevel: number | undefined;

  private readonly buffer = Buffer.allocUnsafe(2 * batchBytes);
  private used = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly fd = 1) {
    // Asks pino to set `lastLevel` before each write.
    Object.defineProperty(this, Symbol.for('pino.metadata'), { value: true });
  }

  write(line: string): void {
    const level = this.lastLevel;
    this.lastLevel = undefined;
    // A UTF-8 byte count is at most three per UTF-16 unit: make sure the line fits before copying it in.
    if (this.used + line.length * 3 > this.buffer.length) {
      this.flush();
      if (line.length * 3 > this.buffer.length) {
        this.writeAll(Buffer.from(line));
        return;
      }
    }
    this.used += this.buffer.write(line, this.used);
    if (this.used >= batchBytes || (level !== undefined && level >= warn)) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), flushAfterMs).unref();
  }

  /** Writes what waits, now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.used === 0) return;
    const used = this.used;
    this.used = 0;
    this.writeAll(this.buffer.subarray(0, used));
  }

  private writeAll(bytes: Buffer): void {
    let offset = 0;
    let waitedMs = 0;
    while (offset < bytes.length) {
      try {
        offset += writeSync(this.fd, bytes, offset, bytes.length - offset);
      } catch (error) {
        // EAGAIN: standard output is a non-blocking pipe (shared with a parent that made it so) and full. Wait
        // for its reader a little; a reader gone for a second loses this batch, not the process.
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN' && waitedMs < blockedForMs) {
          Atomics.wait(pause, 0, 0, 10);
          waitedMs += 10;
          continue;
        }
        dropped(bytes.length - offset, error as Error);
        return;
      }
    }
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));

function dropped(bytes: number, error: Error): void {
  try {
    writeSync(2, `log: ${bytes} bytes of log lines dropped, standard output refused them: ${error.message}\n`);
  } catch {
    // Standard error is gone too: nothing is left to tell.
  }
}

let stdout: BatchedStdout | undefined;

/** The process's one standard-output destination, flushed when the process exits. */
export function batchedStdout(): BatchedStdout {
  if (!stdout) {
    const destination = new BatchedStdout();
    process.on('exit', () => destination.flush());
    stdout = destination;
  }
  return stdout;
}
