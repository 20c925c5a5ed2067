import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { expect, it } from "vitest";

/*
 * `npm run typecheck` runs tsc on a few projects. A file that none of them includes, or a
 * JavaScript file in a project without `checkJs`, is never checked, and nothing says so: issue 13
 * found every Node script in that state while the README said they were checked. The projects
 * are read from the typecheck script itself, so this checks what `npm run typecheck` runs.
 */

const root = path.join(import.meta.dirname, "..", "..");

/** The tsconfig files `npm run typecheck` gives tsc (`-p`; none means tsconfig.json). */
function typecheckedProjects(): string[] {
  const { scripts } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
    scripts: { typecheck: string };
  };
  return [...scripts.typecheck.matchAll(/\btsc --noEmit(?: -p (\S+))?/g)].map(([, project]) => {
    const config = path.join(root, project ?? "tsconfig.json");
    return config.endsWith(".json") ? config : path.join(config, "tsconfig.json");
  });
}

/** The files a project includes, from the repository's root, and whether it checks JavaScript. */
function project(config: string) {
  const parsed = ts.getParsedCommandLineOfConfigFile(config, undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    },
  });
  if (!parsed) throw new Error(`${config} could not be read`);
  return {
    files: parsed.fileNames.map((f) => path.relative(root, f)),
    checksJs: parsed.options.checkJs === true,
  };
}

it("type-checks every TypeScript and JavaScript file of the repository (issue 13: the Node scripts were not)", () => {
  const sources = execFileSync(
    "git",
    ["ls-files", "*.ts", "*.mts", "*.cts", "*.js", "*.mjs", "*.cjs"],
    {
      cwd: root,
      encoding: "utf8",
    },
  )
    .split("\n")
    .filter(Boolean);
  const checked = new Set(
    typecheckedProjects()
      .map(project)
      .flatMap(({ files, checksJs }) => files.filter((f) => checksJs || !/\.[mc]?js$/.test(f))),
  );
  expect(sources.filter((file) => !checked.has(file))).toEqual([]);
});
