// The card's texts, embedded at build time from the integration's translations.
import strings from "card-strings";
import type { HomeAssistant } from "./types";

type Texts = { [key: string]: string | Texts };
const LANGUAGES = strings as unknown as Record<string, Texts>;

/** The translation for the user's language: zh-* reads Simplified Chinese. */
export function languageOf(hass: HomeAssistant | undefined): string {
  const language = hass?.locale?.language ?? hass?.language ?? "en";
  if (language in LANGUAGES) return language;
  return language.startsWith("zh") ? "zh-Hans" : "en";
}

export type Localize = (key: string, values?: Record<string, string | number>) => string;

/** Return `localize("action.done")`, with `{name}` placeholders filled in. */
export function localizer(language: string): Localize {
  const texts = LANGUAGES[language] ?? LANGUAGES.en;
  return (key, values) => {
    const text = lookUp(texts, key) ?? lookUp(LANGUAGES.en, key) ?? key;
    return values
      ? text.replace(/\{(\w+)\}/g, (all, name: string) => String(values[name] ?? all))
      : text;
  };
}

function lookUp(texts: Texts, key: string): string | undefined {
  let node: string | Texts | undefined = texts;
  for (const part of key.split(".")) {
    if (typeof node !== "object") return undefined;
    node = node[part];
  }
  return typeof node === "string" ? node : undefined;
}
