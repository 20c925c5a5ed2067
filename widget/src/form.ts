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
  const email = field("email", t.email, { type: "email" });
  const address = email.lastChild as HTMLInputElement;
  // The notify choices (named by the API's `notify` values; post.ts reads them) mean nothing
  // without an address, so they are hidden, out of the tab order and the accessibility tree,
  // until the email field holds one. Never ticked in advance, nor kept from an earlier post:
  // the reader consents with each comment.
  const choice = (name: string, label: string) =>
    h("label", {}, h("input", { type: "checkbox", name }), label);
  const choices = h(
    "div",
    {},
    choice("replies", t.notifyReplies),
    choice("thread", t.notifyThread),
  );
  const toggle = () => {
    choices.hidden = !address.value.trim();
  };
  // A remembered address shows them at once; typing or emptying it, as it happens.
  toggle();
  address.addEventListener("input", toggle);
  return h(
    "form",
    { "data-action": "post", "aria-labelledby": "form-heading" },
    h("h3", { id: "form-heading" }, t.leaveReply),
    field("name", t.name, { required: "", maxlength: LIMITS.authorName }),
    email,
    choices,
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
