import { LIMITS } from "../../src/shared/limits";
import { button, h } from "./dom";
import { t } from "./i18n";
import { AUTHOR, load } from "./store";

/**
 * The "Leave a Reply" form, drawn with the thread; what it does is in post.ts. There is one:
 * Reply moves it under a comment, as WordPress does. Each label holds its field, which names
 * the field without ids (so a form can never clash with another).
 */
export function postForm(): HTMLFormElement {
  const author = load(AUTHOR);
  const field = (
    name: string,
    label: string,
    attributes: object,
    tag: "input" | "textarea" = "input",
  ) => h("label", {}, label, h(tag, { name, value: author[name], ...attributes }));
  return h(
    "form",
    { "data-action": "post", "aria-labelledby": "form-heading" },
    h("h3", { id: "form-heading" }, t.leaveReply),
    field("name", t.name, { required: "", maxlength: LIMITS.authorName }),
    field("email", t.email, { type: "email" }),
    field("website", t.website, { type: "url" }),
    field("body", t.comment, { required: "", maxlength: LIMITS.body, rows: 5 }, "textarea"),
    // The honeypot: off-screen, out of the tab order and the accessibility tree; bots fill it in.
    h(
      "div",
      { class: "honeypot", "aria-hidden": "true" },
      h("input", { name: "hp", tabindex: -1, autocomplete: "off" }),
    ),
    // role=alert is announced as soon as its text changes; tabindex lets focus land on it.
    h("p", { role: "alert", class: "error", tabindex: -1 }),
    h(
      "p",
      {},
      h("button", { type: "submit" }, t.postComment),
      " ",
      button("cancel-reply", t.cancelReply, { hidden: "" }),
    ),
  );
}
