import type { IssueCode, IssueParams, ValidationIssue } from "../src/lib/generated/ipc";

/**
 * A validation issue as the app sends it. Tests that only look at where an issue is shown give
 * a pointer and the English message; the code and params matter to the Korean text.
 */
export function issue(
  pointer: string,
  message: string,
  code: IssueCode = "wrong_form",
  params: IssueParams = {},
): ValidationIssue {
  return { pointer, code, params, message };
}
