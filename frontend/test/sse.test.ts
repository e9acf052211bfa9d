import { describe, expect, it } from 'vitest';
import { createSseParser, readSse, type SseEvent } from '../src/lib/sse';

function parse(chunks: string[]): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = createSseParser((e) => events.push(e));
  for (const c of chunks) parser.feed(c);
  parser.end();
  return events;
}

const TEXT = 'event: delta\ndata: {"text":"Hel"}\n\nevent: delta\ndata: {"text":"lo"}\n\nevent: done\ndata: {"state":"idle"}\n\n';

describe('SSE parser', () => {
  it('reads named events with their data', () => {
    expect(parse([TEXT])).toEqual([
      { event: 'delta', data: '{"text":"Hel"}', id: undefined },
      { event: 'delta', data: '{"text":"lo"}', id: undefined },
      { event: 'done', data: '{"state":"idle"}', id: undefined },
    ]);
  });

  it('gives the same events however the stream is cut, even one character at a time', () => {
    const whole = parse([TEXT]);
    for (let cut = 1; cut < TEXT.length; cut++) expect(parse([TEXT.slice(0, cut), TEXT.slice(cut)])).toEqual(whole);
    expect(parse([...TEXT])).toEqual(whole);
  });

  it('joins multi-line data with newlines and defaults the event name to message', () => {
    expect(parse(['data: first\ndata: second\ndata\n\n'])).toEqual([{ event: 'message', data: 'first\nsecond\n', id: undefined }]);
  });

  it('accepts CRLF and lone CR line endings, also with the CR and LF in different chunks', () => {
    const crlf = 'event: delta\r\ndata: {"text":"a"}\r\n\r\n';
    const expected = [{ event: 'delta', data: '{"text":"a"}', id: undefined }];
    expect(parse([crlf])).toEqual(expected);
    for (let cut = 1; cut < crlf.length; cut++) expect(parse([crlf.slice(0, cut), crlf.slice(cut)])).toEqual(expected);
    expect(parse(['event: delta\rdata: {"text":"a"}\r\r'])).toEqual(expected);
  });

  it('skips comments and keep-alives, and strips only one space after the colon', () => {
    expect(parse([': keep-alive\n\n', ':\n', 'data:  two spaces\n', ': in between\n', '\n'])).toEqual([{ event: 'message', data: ' two spaces', id: undefined }]);
  });

  it('drops an event the stream ended before its blank line, and blank lines without data', () => {
    expect(parse(['\n\nevent: done\n\n', 'event: delta\ndata: {"text":"cut off"}'])).toEqual([]);
  });

  it('keeps the last id', () => {
    expect(parse(['id: 7\ndata: x\n\n'])).toEqual([{ event: 'message', data: 'x', id: '7' }]);
  });

  it('reads a byte stream whose chunks split a multi-byte character', async () => {
    const bytes = new TextEncoder().encode('event: delta\ndata: {"text":"für €"}\n\n');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 3) controller.enqueue(bytes.slice(i, i + 3));
        controller.close();
      },
    });
    const events: SseEvent[] = [];
    await readSse(body, (e) => events.push(e));
    expect(events).toEqual([{ event: 'delta', data: '{"text":"für €"}', id: undefined }]);
  });
});
