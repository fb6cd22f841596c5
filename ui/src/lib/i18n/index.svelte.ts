// UI text in the instructor's language (English and Korean shipped).
import type { Revision, ValidationIssue } from "../generated/ipc";
import { changeText } from "./changes";
import { en, type MessageKey } from "./en";
import { errorText } from "./errors";
import { issueText } from "./issues";
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

/** A validation issue in the current language (see issues.ts). */
export function tIssue(issue: ValidationIssue): string {
  return issueText(issue, state.locale);
}

/**
 * What went wrong, for the UI to show: a command's error in the current language (in Korean its
 * code's sentence, then the app's English message in parentheses for the specifics); another
 * value as its text (see errors.ts).
 */
export function tError(e: unknown): string {
  return errorText(e, state.locale);
}

/** What a revision's save did, in the current language (see changes.ts). */
export function tChange(revision: Pick<Revision, "change" | "restored_from">): string {
  return changeText(revision, state.locale);
}
