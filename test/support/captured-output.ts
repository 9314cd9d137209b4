import { Writable } from 'node:stream';

/** A writable stream that keeps what is written to it, for commands that write to stdout/stderr. */
export function capturedOutput(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}
