// UI text in the instructor's language (English and Korean shipped).
import { en, type MessageKey } from "./en";
import { ko } from "./ko";

export type Locale = "en" | "ko";
export const locales: readonly Locale[] = ["en", "ko"];

const catalogs: Record<Locale, Record<MessageKey, string>> = { en, ko };
const state = $state<{ locale: Locale }>({ locale: "en" });

export function setLocale(locale: Locale): void {
  state.locale = locale;
  document.documentElement.lang = locale;
}

export function currentLocale(): Locale {
  return state.locale;
}

/** The text for `key` in the current language, with `{name}` placeholders filled in. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = catalogs[state.locale][key];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** The text for a key made at run time (a field or choice name), or `fallback`. */
export function tryT(key: string, fallback: string): string {
  const catalog: Record<string, string> = catalogs[state.locale];
  return catalog[key] ?? fallback;
}
