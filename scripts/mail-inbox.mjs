// The mail catcher's web inbox (mail-catcher.mjs): the .eml files of its folder, read-only, on
// 127.0.0.1. `/` lists them for a person, newest first; `/messages` gives them as JSON, oldest
// first, for scripts and tests; `/messages/<file>` is one message as it arrived. Every piece of
// a message shown in the page is escaped, and the page may load nothing (its CSP).
import { readdir, readFile } from "node:fs/promises";
import { createServer } from "node:http";
import path from "node:path";
import { escapeUTF8 } from "entities";
import PostalMime from "postal-mime";

/** The catcher's file names: nothing else in the folder is served. */
const MESSAGE_FILE = /^[0-9TZ]+-\d+-[0-9a-f]+\.eml$/;

/**
 * @typedef {object} StoredMessage
 * @property {string} file the .eml file's name in the folder
 * @property {string} to the To header's addresses, comma-separated
 * @property {string} subject
 * @property {string} raw the whole message, as it arrived
 */

/**
 * The folder's messages in arrival order.
 * @param {string} dir
 * @returns {Promise<StoredMessage[]>}
 */
export async function readMailbox(dir) {
  const files = (await readdir(dir)).filter((file) => MESSAGE_FILE.test(file)).sort();
  return Promise.all(
    files.map(async (file) => {
      const raw = await readFile(path.join(dir, file), "utf8");
      const parsed = await PostalMime.parse(raw);
      const to = (parsed.to ?? []).map((a) => ("address" in a ? a.address : a.name)).join(", ");
      return { file, to, subject: parsed.subject ?? "", raw };
    }),
  );
}

/**
 * @param {StoredMessage[]} messages
 * @param {string} dir
 */
function page(messages, dir) {
  const rows = messages
    .toReversed()
    .map(
      (m) =>
        `<tr><td><a href="/messages/${escapeUTF8(m.file)}">${escapeUTF8(m.file)}</a></td>` +
        `<td>${escapeUTF8(m.to)}</td><td>${escapeUTF8(m.subject)}</td></tr>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en"><meta charset="utf-8"><title>Parley mailbox</title>
<h1>Parley mailbox</h1>
<p>${messages.length} messages in ${escapeUTF8(dir)}, newest first. Each link is the message as sent (open the .eml file in a mail program to see it rendered).</p>
<table><tr><th>File</th><th>To</th><th>Subject</th></tr>
${rows}
</table>
</html>
`;
}

/** What every answer says: nothing in it may run, load or be sniffed as something else. */
const HEADERS = {
  "content-security-policy": "default-src 'none'",
  "x-content-type-options": "nosniff",
  "cache-control": "no-store",
};

/**
 * Serves the inbox of `dir` on 127.0.0.1:`port` (a free one when 0).
 * @param {{ dir: string, port?: number }} options
 * @returns {Promise<{ url: string, stop: () => Promise<void> }>}
 */
export async function startMailInbox({ dir, port = 0 }) {
  const server = createServer(async (request, response) => {
    /**
     * @param {number} status
     * @param {string} type
     * @param {string} body
     */
    const answer = (status, type, body) => {
      response.writeHead(status, { ...HEADERS, "content-type": type });
      response.end(body);
    };
    if (request.method !== "GET") return answer(405, "text/plain; charset=utf-8", "Read-only\n");
    const { pathname } = new URL(request.url ?? "/", "http://inbox");
    const file = pathname.match(/^\/messages\/([^/]+)$/)?.[1] ?? "";
    try {
      if (pathname === "/") {
        answer(200, "text/html; charset=utf-8", page(await readMailbox(dir), dir));
      } else if (pathname === "/messages") {
        answer(200, "application/json", JSON.stringify(await readMailbox(dir)));
      } else if (MESSAGE_FILE.test(file)) {
        answer(200, "text/plain; charset=utf-8", await readFile(path.join(dir, file), "utf8"));
      } else {
        answer(404, "text/plain; charset=utf-8", "Not found\n");
      }
    } catch (error) {
      const gone = /** @type {NodeJS.ErrnoException} */ (error).code === "ENOENT";
      answer(gone ? 404 : 500, "text/plain; charset=utf-8", gone ? "Not found\n" : "Unreadable\n");
    }
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(undefined));
  });
  const { port: bound } = /** @type {import("node:net").AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${bound}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
