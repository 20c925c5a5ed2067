/**
 * The public API, as the widget uses it. `request` resolves with the JSON of a 2xx answer and
 * rejects with a Failure otherwise, so callers write the happy path and one place (actions.ts)
 * turns every failure into a sentence; after an unmount it does neither (`live`).
 */
export type Failure = {
  /** The HTTP status; 0 when there was no answer at all. */
  _status: number;
  // biome-ignore lint/suspicious/noExplicitAny: error bodies are read defensively where used
  _body?: any;
};

/** The site's public API, e.g. https://comments.example/api/v1/sites/news. */
let siteApi = "";
/** Aborted when the mount that set the API is unmounted (index.ts). */
let mounted: AbortSignal;

export const setApi = (base: string, site: string, signal: AbortSignal) => {
  siteApi = `${base}/api/v1/sites/${encodeURIComponent(site)}`;
  mounted = signal;
};

/**
 * `promise`, as long as the mount that was current when it was made is still mounted. Once that
 * mount is gone it never settles, so whatever waits on it (drawing a thread or a failure into a
 * removed section, or into the next mount's) is dropped with it, unwritten. One gate here,
 * rather than a check after each await of every action.
 */
export const live = <T>(promise: Promise<T>, signal = mounted): Promise<T> =>
  // finally() waits for a promise its callback returns: this one never settles. A new one each
  // time, held by nothing, so the work waiting on it is collected with it.
  promise.finally(() => signal.aborted && new Promise(() => {}));

export const request = (
  path: string,
  body?: object | null,
  method = body ? "POST" : "GET",
  token?: string,
  // biome-ignore lint/suspicious/noExplicitAny: response shapes are checked where they are used
): Promise<any> =>
  live(
    fetch(siteApi + path, {
      method,
      // Unmounting cancels what is still on the wire.
      signal: mounted,
      // No content-type on GET: it would cost every first paint a CORS preflight.
      headers: {
        ...(body && { "content-type": "application/json" }),
        ...(token && { authorization: `Bearer ${token}` }),
      },
      body: body && JSON.stringify(body),
    }).then(
      async (response) => {
        // 204 (a delete) has no body; any other answer that is not JSON counts as failed.
        const json = response.status === 204 ? {} : await response.json().catch(() => 0);
        if (!response.ok || !json)
          throw { _status: response.status, _body: json } satisfies Failure;
        return json;
      },
      // No answer at all (offline, refused by CORS, or cancelled by an unmount).
      () => {
        throw { _status: 0 } satisfies Failure;
      },
    ),
  );
