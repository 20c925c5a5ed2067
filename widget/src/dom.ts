import type { Action } from "./ctx";

/**
 * The one way the widget makes elements. Attributes go through setAttribute and text through
 * append (text nodes), so nothing a commenter wrote is ever parsed as HTML.
 */
type Attributes = Record<string, string | number | boolean | null | undefined>;
export type Child = Node | string | number | false | null | undefined;

/**
 * null/undefined mean "no attribute"; a boolean attribute is set with "" (as in HTML), while
 * true/false are written out as "true"/"false" (the values aria-pressed takes).
 */
export function attrs<E extends Element>(element: E, attributes: Attributes): E {
  for (const name in attributes) {
    const value = attributes[name];
    // setAttribute turns a number or a boolean into its text itself.
    if (value != null) element.setAttribute(name, value as string);
  }
  return element;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = attrs(document.createElement(tag), attributes);
  // append() makes a text node of anything that is not a node (numbers included).
  for (const child of children)
    if (child != null && child !== false) element.append(child as string);
  return element;
}

/** A button that does `action` when clicked (actions.ts). */
export const button = (action: Action, label: Child, more?: Attributes) =>
  h("button", { type: "button", "data-action": action, ...more }, label);
