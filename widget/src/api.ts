/**
 * The public API, as the widget uses it. `request` resolves with the JSON of a 2xx answer and
 * rejects with a Failure otherwise, so callers write the happy path and one place (actions.ts)
 * turns every failure into a sentence.
 */
export type Failure = {
  /** The HTTP status; 0 when there was no answer at all. */
  _status: number;
  // biome-ignore lint/suspicious/noExplicitAny: error bodies are read defensively where used
  _body?: any;
};

/** The site's public API, e.g. https://comments.example/api/v1/sites/news. */
let siteApi = "";

export const setApi = (base: string, site: string) => {
  siteApi = `${base}/api/v1/sites/${encodeURIComponent(site)}`;
};

export async function request(
  path: string,
  body?: object | null,
  method = body ? "POST" : "GET",
  token?: string,
  // biome-ignore lint/suspicious/noExplicitAny: response shapes are checked where they are used
): Promise<any> {
  const response = await fetch(siteApi + path, {
    method,
    // No content-type on GET: it would cost every first paint a CORS preflight.
    headers: {
      ...(body && { "content-type": "application/json" }),
      ...(token && { authorization: `Bearer ${token}` }),
    },
    body: body && JSON.stringify(body),
  }).catch(() => {
    throw { _status: 0 } satisfies Failure;
  });
  // 204 (a delete) has no body; any other answer that is not JSON counts as failed.
  const json = response.status === 204 ? {} : await response.json().catch(() => 0);
  if (!response.ok || !json) throw { _status: response.status, _body: json } satisfies Failure;
  return json;
}
