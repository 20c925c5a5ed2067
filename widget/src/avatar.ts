import { h } from "./dom";

/**
 * The author's initial on a colour drawn from their avatar seed: distinct per author, no network
 * request, and nothing that tracks the reader (unlike Gravatar). A monogram rather than an
 * identicon because it costs a third of the bytes. The colour is set through the CSSOM, which a
 * strict Content-Security-Policy allows (a style attribute it would not).
 */
export function avatar(seed: string, name: string): HTMLElement {
  const element = h(
    "span",
    { class: "avatar", "aria-hidden": "true" },
    [...name][0]?.toUpperCase(),
  );
  element.style.background = `hsl(${parseInt(seed.slice(0, 3), 16) % 360},50%,40%)`;
  return element;
}
