import { button, h } from "./dom";
import { t } from "./i18n";
import { AUTHOR, load } from "./store";

/**
 * The "Leave a Reply" form, drawn with the thread; what it does is in post.ts. There is one:
 * Reply moves it under a comment, as WordPress does. Each label holds its field, which names
 * the field without ids (so a form can never clash with another).
 */
export function postForm(): HTMLFormElement {
  const a = load(AUTHOR);
  const field = (name: string, label: number, attrs: object, tag: "input" | "textarea" = "input") =>
    h("label", {}, t[label], h(tag, { name, value: a[name], ...attrs }));
  return h(
    "form",
    { "data-a": "post", "aria-labelledby": "fh" },
    h("h3", { id: "fh" }, t[L.leave]),
    field("name", L.name, { required: "", maxlength: 80 }),
    field("email", L.email, { type: "email" }),
    field("website", L.website, { type: "url" }),
    field("body", L.body, { required: "", maxlength: 5000, rows: 5 }, "textarea"),
    // The honeypot: off-screen, out of the tab order and the accessibility tree; bots fill it in.
    h(
      "div",
      { class: "hp", "aria-hidden": "true" },
      h("input", { name: "hp", tabindex: -1, autocomplete: "off" }),
    ),
    // role=alert is announced as soon as its text changes; tabindex lets focus land on it.
    h("p", { role: "alert", class: "err", tabindex: -1 }),
    h(
      "p",
      {},
      h("button", { type: "submit" }, t[L.post]),
      " ",
      button("cr", t[L.cancelReply], { hidden: "" }),
    ),
  );
}
