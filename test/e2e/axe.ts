// axe-core in the page under test, for the browser files that check accessibility.
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: unknown[];
}

/**
 * Runs axe-core on the whole page (open shadow roots included) and lists what it found. axe
 * comes as a script of the page's own origin at `path`, which the page's policy allows (a strict
 * one has no inline scripts; the console's allows 'self' scripts only).
 */
export async function axeViolations(page: Page, path = "/axe.min.js"): Promise<Violation[]> {
  // Once per document: a second run on the same one (in the other colour scheme) reuses it.
  if (!(await page.evaluate(() => "axe" in window))) {
    const src = `${new URL(page.url()).origin}${path}`;
    await page.route(src, (route) => route.fulfill({ path: AXE, contentType: "text/javascript" }));
    await page.addScriptTag({ url: src });
  }
  return page.evaluate(async () => {
    type Axe = {
      run(
        context: Document,
        options: object,
      ): Promise<{
        violations: Array<{
          id: string;
          impact: string | null;
          help: string;
          nodes: Array<{ target: unknown }>;
        }>;
      }>;
    };
    const { violations } = await (window as unknown as { axe: Axe }).axe.run(document, {
      // Only violations are read: axe then skips collecting the passes' details, a third of its time.
      resultTypes: ["violations"],
    });
    return violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target),
    }));
  });
}
