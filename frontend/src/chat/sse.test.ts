import { SseParser } from "./sse";

describe("SseParser", () => {
  it("parses sse-starlette's CRLF events split across chunks", () => {
    const p = new SseParser();
    const stream = 'event: token\r\ndata: {"text":"Hel"}\r\n\r\nevent: token\r\ndata: {"text":"lo"}\r\n\r\n: ping\r\n\r\nevent: done\r\ndata: {}\r\n\r\n';
    const events = [];
    for (let i = 0; i < stream.length; i += 7) events.push(...p.push(stream.slice(i, i + 7)));
    expect(events).toEqual([
      { event: "token", data: '{"text":"Hel"}' },
      { event: "token", data: '{"text":"lo"}' },
      { event: "done", data: "{}" },
    ]);
  });

  it("joins multi-line data and defaults the event name", () => {
    const p = new SseParser();
    expect(p.push("data: a\ndata: b\n\n")).toEqual([{ event: "message", data: "a\nb" }]);
  });

  it("waits when a chunk ends between CR and LF", () => {
    const p = new SseParser();
    expect(p.push("event: x\r")).toEqual([]);
    expect(p.push("\ndata: 1\r\n\r\n")).toEqual([{ event: "x", data: "1" }]);
  });
});
