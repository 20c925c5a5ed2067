/**
 * The one way the widget makes elements. Attributes go through setAttribute and text through
 * append (text nodes), so nothing a commenter wrote is ever parsed as HTML.
 */
type Attrs = Record<string, string | number | boolean | null | undefined>;
export type Kid = Node | string | number | false | null | undefined;

/** false/null/undefined mean "no attribute", true an empty one; aria-* booleans are strings. */
export function attrs<E extends Element>(e: E, a: Attrs): E {
  for (const k in a) {
    const v = a[k];
    if (v != null && v !== false) e.setAttribute(k, v === true ? "" : `${v}`);
  }
  return e;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  a: Attrs = {},
  ...kids: Kid[]
): HTMLElementTagNameMap[K] {
  const e = attrs(document.createElement(tag), a);
  // append() makes a text node of anything that is not a node (numbers included).
  for (const k of kids) if (k != null && k !== false) e.append(k as string);
  return e;
}

export const button = (a: string, label: Kid, more?: Attrs) =>
  h("button", { type: "button", "data-a": a, ...more }, label);
