import { ApiError } from "../../../errors";

/** Every gzip member starts with these two bytes (RFC 1952, section 2.3.1). */
const GZIP_MAGIC = [0x1f, 0x8b] as const;

export const unreadable = (why: string) =>
  new ApiError(400, "invalid_export", `The export could not be read: ${why}.`);

/** The stream again, with `head` (already read from `reader`) in front. */
function rejoined(head: Uint8Array, reader: ReadableStreamDefaultReader<Uint8Array>) {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (head.byteLength > 0) controller.enqueue(head);
    },
    async pull(controller) {
      const { value, done } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/** The gunzipped stream. A damaged or cut-short gzip errors its reads, which is where it is reported. */
function gunzipped(raw: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const gunzip = new DecompressionStream("gzip");
  const writer = gunzip.writable.getWriter();
  const pump = async () => {
    for await (const chunk of raw) await writer.write(chunk);
    await writer.close();
  };
  pump().catch(() => {});
  return gunzip.readable;
}

/** Reads until at least `n` bytes have come (or the stream ended), as one array. */
async function readAtLeast(reader: ReadableStreamDefaultReader<Uint8Array>, n: number) {
  const parts: Uint8Array[] = [];
  let length = 0;
  while (length < n) {
    const { value, done } = await reader.read();
    if (done) break;
    parts.push(value);
    length += value.byteLength;
  }
  const head = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    head.set(part, at);
    at += part.byteLength;
  }
  return head;
}

/**
 * The text of an export, chunk by chunk as it arrives: gunzipped when it starts with gzip's
 * magic bytes (whatever the file is called or the request says), decoded as UTF-8. More than
 * `maxBytes` of text is refused with 413, so a small gzip bomb cannot run the import forever.
 */
export async function* exportText(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
): AsyncGenerator<string> {
  const reader = body.getReader();
  const head = await readAtLeast(reader, GZIP_MAGIC.length);
  const gzip = GZIP_MAGIC.every((byte, i) => head[i] === byte);
  const raw = rejoined(head, reader);
  const bytes = gzip ? gunzipped(raw) : raw;
  const decoder = new TextDecoder();
  let total = 0;
  const chunks = bytes.getReader();
  for (;;) {
    let read: ReadableStreamReadResult<Uint8Array>;
    try {
      read = await chunks.read();
    } catch {
      throw unreadable(gzip ? "the gzip data is damaged or cut short" : "the upload broke off");
    }
    if (read.done) break;
    total += read.value.byteLength;
    if (total > maxBytes) {
      await chunks.cancel();
      throw new ApiError(
        413,
        "payload_too_large",
        `The export is larger than ${maxBytes} bytes; import it with the CLI (README "Import").`,
      );
    }
    yield decoder.decode(read.value, { stream: true });
  }
  yield decoder.decode();
}
