/**
 * The public API, as the widget uses it. `req` resolves with the JSON of a 2xx answer and rejects
 * with a Fail otherwise (s 0: no answer at all), so callers write the happy path and one place
 * (actions.ts) turns every failure into a sentence.
 */
export type Fail = {
  s: number;
  // biome-ignore lint/suspicious/noExplicitAny: error bodies are read defensively where used
  j?: any;
};

/** The site's public API, e.g. https://comments.example/api/v1/sites/news. */
export let root = "";

export const setApi = (base: string, site: string) => {
  root = `${base}/api/v1/sites/${encodeURIComponent(site)}`;
};

export async function req(
  path: string,
  body?: object | null,
  method = body ? "POST" : "GET",
  token?: string,
  // biome-ignore lint/suspicious/noExplicitAny: response shapes are checked where they are used
): Promise<any> {
  const r = await fetch(root + path, {
    method,
    // No content-type on GET: it would cost every first paint a CORS preflight.
    headers: {
      ...(body && { "content-type": "application/json" }),
      ...(token && { authorization: `Bearer ${token}` }),
    },
    body: body && JSON.stringify(body),
  }).catch(() => {
    throw { s: 0 };
  });
  // 204 (a delete) has no body; any other answer that is not JSON counts as failed.
  const j = r.status === 204 ? {} : await r.json().catch(() => 0);
  if (!r.ok || !j) throw { s: r.status, j };
  return j;
}
