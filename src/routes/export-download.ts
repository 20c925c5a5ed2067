import type { Context } from "hono";
import type { AppEnv } from "../env";
import { now } from "../platform/clock";
import { exportSite } from "../services/portability/export";

/** A text stream of the generator's pieces, pulled as the client reads. */
function streamOf(pieces: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    async pull(controller) {
      const { value, done } = await pieces.next();
      if (done) controller.close();
      else controller.enqueue(encoder.encode(value));
    },
  });
}

/**
 * The site's export as a file to save, streamed as it is read: what the operator API's
 * GET …/export and the console's Export answer alike.
 */
export function exportDownload(c: Context<AppEnv>, site: AppEnv["Variables"]["site"]) {
  c.header("Content-Type", "application/json; charset=utf-8");
  c.header("Content-Disposition", `attachment; filename="parley-${site.id}.json"`);
  return c.body(streamOf(exportSite(c.var.db, site, now())), 200);
}
