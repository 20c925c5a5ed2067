/**
 * GFM autolink literals (`www.example.com`, `https://…`, `a@b.example`) as
 * micromark-extension-gfm-autolink-literal parses them, without its quadratic look-back.
 *
 * Why: before it tries a literal at the start of each word, the extension checks that no `[`
 * is still open, because a link's text may not hold another link. It finds out by walking back
 * over every event of the paragraph, and it remembers only a "none open" answer. So one `[`
 * that never closes makes every later word re-walk the whole paragraph: `[` followed by 2,500
 * one-letter words took about 45 ms of CPU in workerd (1.3 ms with this guard), and the cost
 * grows with the square of the length. Too ordinary a shape to refuse (markdown-limits.ts).
 *
 * The tokenizer already keeps the open `[`s, on `_labelStarts` (micromark-util-types documents
 * the field: "Stack of label start tokens that can still close"): only its top entry can have
 * been found to have no link (`_balanced`), as a closing `]` pops such entries before it marks
 * the next one. So the same answer is one or two array reads, and each construct below gives
 * up right there, exactly where the extension would have given up after its walk. When no `[`
 * is open the extension runs as published (its walk then stops at its remembered answer).
 */
import { gfmAutolinkLiteral as upstream } from "micromark-extension-gfm-autolink-literal";

type Extension = ReturnType<typeof upstream>;
type ConstructRecord = NonNullable<Extension["text"]>;
type Entry = NonNullable<ConstructRecord[number]>;
type Construct = Extract<Entry, { tokenize: unknown }>;
type TokenizeContext = ThisParameterType<Construct["tokenize"]>;

/** Whether a `[` before this point in the paragraph can still start a link. */
function openLabel(context: TokenizeContext): boolean {
  const starts = context._labelStarts ?? [];
  for (let i = starts.length - 1; i >= 0; i--) if (!starts[i]?._balanced) return true;
  return false;
}

function guarded(construct: Construct): Construct {
  return {
    ...construct,
    tokenize(effects, ok, nok) {
      return openLabel(this) ? nok : construct.tokenize.call(this, effects, ok, nok);
    },
  };
}

/** The extension, each of its constructs guarded as above. */
export function gfmAutolinkLiteral(): Extension {
  const text: ConstructRecord = {};
  for (const [code, entry] of Object.entries(upstream().text ?? {})) {
    if (entry === undefined) continue;
    text[Number(code)] = Array.isArray(entry) ? entry.map(guarded) : guarded(entry as Construct);
  }
  return { text };
}
