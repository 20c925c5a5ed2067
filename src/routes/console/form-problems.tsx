import type { z } from "@hono/zod-openapi";
import { useStrings } from "./locale";
import { type ConsoleStrings, fill } from "./strings";

/*
 * A console form checked by the API's own schema (src/routes/schemas/): the same rules, with
 * each problem told as a sentence beside the form rather than as the API's JSON details.
 */

/** What is wrong, and with which field: the path of the value the schema checked ("origins.0"). */
export interface Problem {
  field: string;
  message: string;
}

export type Checked<T> = { ok: true; data: T } | { ok: false; problems: Problem[] };

type ProblemWords = ConsoleStrings["operator"]["problems"];

/**
 * Sentences for zod's own wording ("Too big: expected number to be <=10"), in the request's
 * language. A schema's message of its own ("Origins look like …") outranks this map and is shown
 * as written, in English like the API's.
 */
const sentence = (words: ProblemWords, issue: Parameters<z.core.$ZodErrorMap>[0]) => {
  const { code, origin } = issue;
  if (code === "too_big") {
    const n = Number(issue.maximum);
    if (origin === "string") return fill(words.atMostCharacters, n);
    return fill(origin === "array" ? words.atMostLines : words.atMost, n);
  }
  if (code === "too_small") {
    const n = Number(issue.minimum);
    if (origin === "string") return n === 1 ? words.empty : undefined;
    return fill(origin === "array" ? words.atLeastLines : words.atLeast, n);
  }
  if (code === "invalid_type" && (issue.expected === "number" || issue.expected === "int")) {
    return words.wholeNumber;
  }
  return code === "invalid_value" ? words.choose : undefined;
};

/** The form's values as the schema takes them, or what is wrong with them, told in `words`. */
export function check<S extends z.ZodType>(
  schema: S,
  values: unknown,
  words: ProblemWords,
): Checked<z.output<S>> {
  const result = schema.safeParse(values, {
    error: (issue) => sentence(words, issue),
    reportInput: true,
  });
  if (result.success) return { ok: true, data: result.data };
  const problems = result.error.issues.map((issue) => {
    // One line of a list (an origin, an address) is named by what was typed on it.
    const line =
      typeof issue.path.at(-1) === "number" ? `“${String(issue.input).slice(0, 100)}”: ` : "";
    return { field: issue.path.map(String).join("."), message: `${line}${issue.message}` };
  });
  return { ok: false, problems };
}

/** The ids of the problems with a field (or a line of it), for its aria-describedby. */
export const problemIds = (problems: Problem[], name: string): string[] =>
  problems.flatMap((problem, i) =>
    problem.field === name || problem.field.startsWith(`${name}.`) ? [`problem-${i}`] : [],
  );

/** The attributes a field takes: its hint and problems described, and marked invalid if it is. */
export function described(problems: Problem[], name: string, hintId?: string) {
  const ids = problemIds(problems, name);
  return {
    "aria-describedby": [hintId, ...ids].filter(Boolean).join(" ") || undefined,
    "aria-invalid": ids.length > 0 ? "true" : undefined,
  };
}

/** The problems above the form, each named by its field's label, read out when the page opens. */
export function Problems(props: { problems: Problem[]; labelOf: (field: string) => string }) {
  const { problems, labelOf } = props;
  const t = useStrings();
  if (problems.length === 0) return null;
  return (
    <div class="error" role="alert">
      <p>{t.operator.notSaved}</p>
      <ul>
        {problems.map((problem, i) => {
          const label = labelOf(problem.field);
          return (
            <li id={`problem-${i}`}>{label ? `${label}: ${problem.message}` : problem.message}</li>
          );
        })}
      </ul>
    </div>
  );
}
