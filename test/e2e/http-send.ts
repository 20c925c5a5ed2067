import { request as httpRequest } from "node:http";

/**
 * Sends `request` over a connection of its own (`agent: false`, so `Connection: close`) and
 * answers with what came back. Node's fetch keeps connections open and reuses them; when the
 * server closes an idle one just as the next request goes out on it, that request fails with
 * "other side closed", and a POST is not retried (seen once in a suite run beside another). A
 * connection per request leaves nothing to race; on loopback it costs next to nothing.
 */
export async function sendOverOwnConnection(request: Request): Promise<Response> {
  const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      request.url,
      { method: request.method, headers: Object.fromEntries(request.headers), agent: false },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
        incoming.on("error", reject);
        incoming.on("end", () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(incoming.headers)) {
            for (const one of [value ?? []].flat()) headers.append(name, one);
          }
          const status = incoming.statusCode ?? 0;
          const empty = status === 204 || status === 304 || request.method === "HEAD";
          resolve(new Response(empty ? null : Buffer.concat(chunks), { status, headers }));
        });
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}
