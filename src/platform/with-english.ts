/**
 * English with a translation's strings over it: any string the translation lacks stays English,
 * as the widget's build fills in its locales. Two objects of strings, nested: a few lines here
 * rather than a deep-merge library and its rules for arrays and prototypes.
 */
export function withEnglish(english: object, translated: object): object {
  return Object.fromEntries(
    Object.entries(english).map(([key, value]) => {
      const own: unknown = (translated as Record<string, unknown>)[key];
      if (typeof value === "string") return [key, typeof own === "string" ? own : value];
      return [key, withEnglish(value, typeof own === "object" && own !== null ? own : {})];
    }),
  );
}
