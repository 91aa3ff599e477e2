// The 30-day minimum of the 意見聴取 is the procedure's rule (src/api/procedure.ts enforces it on the server);
// the calendar must count the same days. The api module sits above this one, so the number is repeated here
// and a test asserts both are equal.
export const PUBLIC_COMMENT_MIN_DAYS = 30;
