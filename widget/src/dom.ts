/**
 * The one way the widget makes elements. Attributes go through setAttribute and text through
 * append (text nodes), so nothing a commenter wrote is ever parsed as HTML.
 */
type Attrs = Record<string, string | number | boolean | null | undefined>;
export type Kid = Node | string | number | false | null | undefined;

/**
 * null/undefined mean "no attribute"; a boolean attribute is set with "" (as in HTML), while
 * true/false are written out as "true"/"false" (the values aria-pressed takes).
 */
export function attrs<E extends Element>(e: E, a: Attrs): E {
  for (const k in a) {
    const v = a[k];
    // setAttribute turns a number or a boolean into its text itself.
    if (v != null) e.setAttribute(k, v as string);
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
