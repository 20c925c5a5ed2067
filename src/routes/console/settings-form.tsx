import type { z } from "@hono/zod-openapi";
import type { AppEnv } from "../../env";
import { toSite } from "../../services/sites/sites";
import { LIMITS } from "../../shared/limits";
import { ALERT_MODES, MODERATION_MODES } from "../../shared/vocabulary";
import { SiteSchema, type UpdateSiteSchema } from "../schemas/operator";
import { described, type Problem } from "./form-problems";
import { useStrings } from "./locale";
import type { ConsoleStrings } from "./strings";

/*
 * A site's settings as form fields: how each setting the operator API's PATCH takes is shown,
 * and how what the form sends becomes the PATCH body again. Only the shape changes here (text
 * to numbers, lines to lists, blank to null); whether a value is allowed is the API schema's
 * to say (src/routes/schemas/operator.ts), through check() in form-problems.tsx.
 */

type SiteRow = AppEnv["Variables"]["site"];
type Settings = z.input<typeof UpdateSiteSchema>;
export type SettingName = keyof Settings;
type LimitName = keyof NonNullable<Settings["limits"]>;
/** The form's fields as sent: name → value. */
export type FormValues = Record<string, string>;

type Field =
  | { kind: "text"; maxlength?: number }
  /** Blank is null: no webhook, no challenge. */
  | { kind: "optional" }
  | { kind: "number" }
  /** One entry a line. */
  | { kind: "lines" }
  /** `labels` names the options' words among the operator's strings. */
  | { kind: "choice"; options: readonly string[]; labels: "moderationModes" | "alertModes" }
  /** Write-only: blank keeps what is stored; a box to tick removes it. */
  | { kind: "secret" }
  | { kind: "limits"; names: readonly LimitName[] };

/** The limits the API takes, in its order: one it gains is on the form too, once it has a label. */
const LIMIT_NAMES = Object.keys(SiteSchema.shape.limits.shape) as LimitName[];
/** Typed by the schema's limits, so a limit the API gains and the words lack stops the build. */
const limitLabels = (t: ConsoleStrings): Record<LimitName, string> => t.operator.limits;

/**
 * Every setting the PATCH takes, in the order the form shows them. Typed by the schema's own
 * keys: a setting added to the API and not here stops the build.
 */
export const SETTINGS: { [name in SettingName]-?: Field } = {
  name: { kind: "text", maxlength: LIMITS.siteName },
  origins: { kind: "lines" },
  moderation: { kind: "choice", options: MODERATION_MODES, labels: "moderationModes" },
  maxDepth: { kind: "number" },
  editWindowSeconds: { kind: "number" },
  locale: { kind: "text" },
  limits: { kind: "limits", names: LIMIT_NAMES },
  flagThreshold: { kind: "number" },
  webhookUrl: { kind: "optional" },
  turnstileSiteKey: { kind: "optional" },
  turnstileSecretKey: { kind: "secret" },
  moderatorEmails: { kind: "lines" },
  alerts: { kind: "choice", options: ALERT_MODES, labels: "alertModes" },
};

const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];
/** The box that asks for the stored secret to be removed. */
const removeBox = (name: string) => `${name}.remove`;

/** A number as typed, or the text itself for the schema to refuse as not a number. */
const numberOf = (text: string) => (/^\s*-?\d+(\.\d+)?\s*$/.test(text) ? Number(text) : text);
/** One a line, or apart by commas or spaces: no origin or address holds any of them. */
const linesOf = (text: string) => text.split(/[\s,]+/).filter((line) => line !== "");

/** A site's settings as the form shows them. */
export function formValues(site: SiteRow): FormValues {
  const view: Record<string, unknown> = toSite(site);
  const values: FormValues = {};
  for (const name of SETTING_NAMES) {
    const field = SETTINGS[name];
    const stored = view[name];
    if (field.kind === "limits") {
      for (const limit of field.names) {
        values[`${name}.${limit}`] = String((stored as Record<string, number>)[limit]);
      }
    } else if (field.kind === "lines") {
      values[name] = (stored as string[]).join("\n");
    } else if (field.kind !== "secret") {
      values[name] = stored === null ? "" : String(stored);
    }
  }
  return values;
}

/**
 * What the form sent, as the PATCH body would say it: only the settings whose fields it has,
 * so a form of a few (creating a site) sets only those.
 */
export function settingsOf(values: FormValues, names: readonly SettingName[] = SETTING_NAMES) {
  const settings: Record<string, unknown> = {};
  for (const name of names) {
    const field = SETTINGS[name];
    const value = values[name];
    if (field.kind === "limits") {
      const present = field.names.filter((limit) => values[`${name}.${limit}`] !== undefined);
      if (present.length > 0) {
        settings[name] = Object.fromEntries(
          present.map((limit) => [limit, numberOf(values[`${name}.${limit}`] ?? "")]),
        );
      }
    } else if (field.kind === "secret") {
      if (values[removeBox(name)] === "1") settings[name] = null;
      else if (value?.trim()) settings[name] = value;
    } else if (value !== undefined) {
      settings[name] = {
        text: value,
        choice: value,
        number: numberOf(value),
        lines: linesOf(value),
        optional: value.trim() === "" ? null : value,
      }[field.kind];
    }
  }
  return settings;
}

/**
 * The settings that differ from the site's, so the audit log names what changed, not every
 * field the form sent back as it was.
 */
export function changedSettings<T extends object>(settings: T, site: SiteRow): Partial<T> {
  const stored: Record<string, unknown> = {
    ...toSite(site),
    turnstileSecretKey: site.turnstileSecretKey,
  };
  const changed = ([name, value]: [string, unknown]) =>
    name === "limits"
      ? Object.entries(value as object).some(
          ([limit, n]) => (stored.limits as Record<string, unknown>)[limit] !== n,
        )
      : JSON.stringify(stored[name]) !== JSON.stringify(value);
  return Object.fromEntries(Object.entries(settings).filter(changed)) as Partial<T>;
}

/** The label of a field, or of the setting a problem's path starts with, in `t`'s words. */
export function labelOf(t: ConsoleStrings, field: string): string {
  const [name = "", limit] = field.split(".");
  const limits = limitLabels(t);
  if (name === "limits" && limit && limit in limits) {
    return limits[limit as LimitName];
  }
  return (t.operator.fields as Record<string, string>)[name] ?? "";
}

interface FieldProps {
  name: SettingName;
  values: FormValues;
  problems: Problem[];
  /** Whether a secret is stored (for a write-only field). */
  secretSet?: boolean;
}

/** One setting's field with its label, hint and problems. */
export function SettingField({ name, values, problems, secretSet }: FieldProps) {
  const field = SETTINGS[name];
  const t = useStrings();
  if (field.kind === "limits") {
    return (
      <fieldset>
        <legend>{t.operator.fields[name]}</legend>
        {field.names.map((limit) => {
          const id = `${name}.${limit}`;
          return (
            <div class="field">
              <label for={id}>{limitLabels(t)[limit]}</label>
              <input
                id={id}
                name={id}
                inputmode="numeric"
                value={values[id] ?? ""}
                {...described(problems, id)}
              />
            </div>
          );
        })}
      </fieldset>
    );
  }
  const hint =
    field.kind === "secret"
      ? secretSet
        ? t.operator.secretSet
        : t.operator.secretUnset
      : (t.operator.hints as Partial<Record<SettingName, string>>)[name];
  const hintId = hint ? `${name}-hint` : undefined;
  return (
    <div class="field">
      <label for={name}>{t.operator.fields[name]}</label>
      <Control
        field={field}
        value={values[name] ?? ""}
        attributes={{ id: name, name, ...described(problems, name, hintId) }}
      />
      {hint && (
        <p id={hintId} class="hint">
          {hint}
        </p>
      )}
      {field.kind === "secret" && secretSet && (
        <label class="check">
          <input type="checkbox" name={removeBox(name)} value="1" /> {t.operator.secretRemove}
        </label>
      )}
    </div>
  );
}

function Control(props: {
  field: Exclude<Field, { kind: "limits" }>;
  value: string;
  attributes: Record<string, string | undefined>;
}) {
  const { field, value, attributes } = props;
  const t = useStrings();
  switch (field.kind) {
    case "text":
      return <input {...attributes} value={value} maxlength={field.maxlength} required />;
    case "optional":
      return <input {...attributes} value={value} />;
    case "number":
      return <input {...attributes} inputmode="numeric" value={value} />;
    case "lines":
      return (
        <textarea {...attributes} rows={3}>
          {value}
        </textarea>
      );
    case "choice":
      return (
        <select {...attributes}>
          {field.options.map((option) => (
            <option value={option} selected={option === value}>
              {(t.operator[field.labels] as Record<string, string>)[option]}
            </option>
          ))}
        </select>
      );
    case "secret":
      return <input {...attributes} type="password" autocomplete="new-password" />;
  }
}

/** A form's text fields (an uploaded file is no setting). */
export const formStrings = (body: Record<string, unknown>): FormValues =>
  Object.fromEntries(
    Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
