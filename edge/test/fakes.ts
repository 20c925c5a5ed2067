import { vi } from "vitest";
import worker, { type Env } from "../src/index";

/*
 * What stands around the edge Worker in its tests. The origin is the network the Worker's
 * `fetch(request)` reaches, stubbed at globalThis.fetch; Parley is the Service Binding, a fake
 * Fetcher in the Worker's env. Both answer in the test's own isolate, so a test decides when each
 * of their bytes goes out, and can make one wait for what the Worker has already sent.
 */

export type Answer = (request: Request) => Response | Promise<Response>;

const encoder = new TextEncoder();

/** Routes the Worker's requests to the origin to `answer`; the test's afterEach restores fetch. */
export function stubOrigin(answer: Answer): Request[] {
  const received: Request[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    received.push(request);
    return answer(request);
  });
  return received;
}

/** A fake Parley: records what it was asked and answers with `answer`. */
export function fakeParley(answer: Answer): { binding: Fetcher; asked: URL[] } {
  const asked: URL[] = [];
  const fetcher: Pick<Fetcher, "fetch"> = {
    async fetch(input, init) {
      const request = new Request(input, init);
      asked.push(new URL(request.url));
      return answer(request);
    },
  };
  // The Worker only ever calls `fetch` on its binding; a Fetcher's `connect` is never reached.
  return { binding: fetcher as Fetcher, asked };
}

/** The Worker's answer to `request`, with Parley and the vars in `env`. */
export function edge(request: Request, env: Env): Promise<Response> {
  return worker.fetch(request, env);
}

/** A response body the test writes chunk by chunk, whenever it chooses. */
export function streamedBody(): {
  body: ReadableStream<Uint8Array>;
  send: (text: string) => void;
  end: () => void;
} {
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  return {
    body,
    send: (text) => controller?.enqueue(encoder.encode(text)),
    end: () => controller?.close(),
  };
}

/** A reader of a response's text that can stop part way, at what the test waits for. */
export function textReader(response: Response): {
  until: (text: string) => Promise<string>;
  rest: () => Promise<string>;
} {
  if (!response.body) throw new Error("the response has no body");
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let seen = "";
  return {
    /** Everything read so far, once it holds `text`; fails if the body ends first. */
    async until(text) {
      while (!seen.includes(text)) {
        const { done, value } = await reader.read();
        if (done) throw new Error(`the body ended without ${JSON.stringify(text)}`);
        seen += decoder.decode(value, { stream: true });
      }
      return seen;
    },
    /** The whole body, once it has ended. */
    async rest() {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return seen + decoder.decode();
        seen += decoder.decode(value, { stream: true });
      }
    },
  };
}
