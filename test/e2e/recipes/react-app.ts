// A single-page app around the React recipe (widget/recipes/react/parley-comments.ts), bundled
// by test/e2e/recipes.test.ts: two articles, a client-side route change between them (pushState,
// no reload), and React's StrictMode, which mounts every effect, cleans it up and mounts it again.
import { createElement, StrictMode, useState } from "react";
import { createRoot } from "react-dom/client";
import { ParleyComments } from "../../../widget/recipes/react/parley-comments";

/** Set by the test's page before this script: the site and the two articles' addresses. */
const { site, pages } = (window as unknown as { parleyTest: { site: string; pages: string[] } })
  .parleyTest;

function App() {
  const [page, setPage] = useState(location.href);
  const next = pages.find((other) => other !== page) as string;
  return createElement(
    "main",
    null,
    createElement("h1", null, new URL(page).pathname),
    createElement(
      "button",
      {
        type: "button",
        onClick: () => {
          history.pushState(null, "", next);
          setPage(next);
        },
      },
      "Next article",
    ),
    createElement(ParleyComments, { site, page }),
  );
}

createRoot(document.getElementById("app") as HTMLElement).render(
  createElement(StrictMode, null, createElement(App)),
);
