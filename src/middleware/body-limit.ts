import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import type { ApiError } from "../errors";

/**
 * Refuses a request body larger than `maxSize` bytes with `refusal()`: by its Content-Length
 * when it has one, else (a chunked body) by counting it as it arrives.
 *
 * Hono's own `bodyLimit` stops reading a chunked body at the limit and answers with the rest
 * unread and the stream still locked by its reader. Under `wrangler dev` (`npm start`) that
 * ends the server: the answer leaves before the upload has been forwarded from wrangler's
 * proxy to the Worker, the proxy cannot finish sending it ("Can't read from request stream
 * after response has been sent"), the connection between them breaks, the next request on it
 * fails with "Network connection lost", and wrangler 4 treats any failed forward as fatal
 * (cloudflare/workers-sdk#15203, #15317). Wrangler's dev build drains an unread body, but only
 * one nobody has read from, so the half-read body slips past it. Hence this middleware reads a
 * refused chunked body to its end, dropping it, before answering. On Cloudflare the platform's
 * own cap on request bodies bounds that reading. A body refused by its Content-Length is never
 * touched, so wrangler drains it in development and nothing needs to on Cloudflare.
 */
export function limitBodyTo(maxSize: number, refusal: () => ApiError) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const body = c.req.raw.body;
    if (!body) return next();
    // Inside workerd a chunked body shows no Transfer-Encoding: it is the one without a length.
    const length = c.req.header("content-length");
    if (length !== undefined) {
      if (Number(length) > maxSize) throw refusal();
      return next();
    }
    const held = await readWithin(body, maxSize);
    if (!held) throw refusal();
    c.req.raw = new Request(c.req.raw, { body: held });
    await next();
  });
}

/** The whole stream, or null if it is longer than `maxSize`; read to its end either way. */
async function readWithin(body: ReadableStream<Uint8Array>, maxSize: number) {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size <= maxSize) chunks.push(chunk);
  }
  return size > maxSize ? null : new Blob(chunks);
}
