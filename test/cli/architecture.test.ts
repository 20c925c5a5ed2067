import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/*
 * The layers of ARCHITECTURE.md, checked on the source: routes → services → db, plumbing in
 * platform, words in shared, and nothing importing back up. The composition roots (src/app.ts,
 * src/index.ts, src/cli/) may import anything: that is their job.
 */

const SRC = path.join(import.meta.dirname, "..", "..", "src");
/** The widget's strings: words, like shared/ (the server-rendered thread says what the widget says). */
const WIDGET_WORDS = path.join(import.meta.dirname, "..", "..", "widget", "src", "i18n");

/** Which folders each layer may import from (besides itself and npm packages). */
const ALLOWED: Record<string, string[]> = {
  shared: [],
  platform: ["shared"],
  db: ["platform", "shared"],
  services: ["db", "platform", "shared", "errors"],
  middleware: ["services", "platform", "shared", "errors", "env"],
  routes: ["services", "middleware", "platform", "shared", "errors", "env"],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** The top-level part of src/ a path is in: a folder, or a root file's name without ".ts(x)". */
const layerOf = (file: string) =>
  file.startsWith(`${WIDGET_WORDS}${path.sep}`)
    ? "shared"
    : (path
        .relative(SRC, file)
        .split(path.sep)[0]
        ?.replace(/\.tsx?$/, "") ?? "");

/** Every relative import of the file, as the layer it lands in. */
function importedLayers(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specifiers = [...text.matchAll(/from\s+"(\.{1,2}\/[^"]+)"/g)].map((m) => m[1] ?? "");
  return specifiers.map((spec) => layerOf(path.resolve(path.dirname(file), spec)));
}

describe("layers", () => {
  const files = sourceFiles(SRC).filter((file) => layerOf(file) in ALLOWED);

  it("finds the layers' files", () => {
    expect(new Set(files.map(layerOf))).toEqual(new Set(Object.keys(ALLOWED)));
  });

  it.each(files.map((file) => [path.relative(SRC, file), file]))(
    "%s imports only from the layers below it",
    (_, file) => {
      const layer = layerOf(file);
      const wrong = importedLayers(file).filter(
        (target) => target !== layer && !ALLOWED[layer]?.includes(target),
      );
      expect(wrong).toEqual([]);
    },
  );
});
