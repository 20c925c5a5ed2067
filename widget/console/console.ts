// The moderators' console's one script (pages: src/routes/console/), loaded by every page with
// `defer`. Every form there works without it; it only adds keyboard shortcuts to the queue,
// helpers for selecting comments, and copy buttons. It writes no words of its own: each comes
// from the page (strings.ts, in the markup or a data attribute), so the console's locale covers
// them.
import { copyButtons } from "./copy";
import { queueKeys } from "./queue-keys";
import { bulkSelection } from "./selection";

// What works only with this script is rendered hidden, and shown now that it runs.
for (const element of document.querySelectorAll<HTMLElement>("[data-scripted]")) {
  element.hidden = false;
}
queueKeys();
bulkSelection();
copyButtons();
