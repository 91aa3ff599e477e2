// The 30-day minimum of the 意見聴取 (指針 第5の3). The one definition: src/api/procedure.ts (above this module)
// imports it to enforce the rule on the server, so the calendar and the procedure count the same days.
export const PUBLIC_COMMENT_MIN_DAYS = 30;
