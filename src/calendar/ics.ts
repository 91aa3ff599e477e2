// Obligations as an iCalendar feed (RFC 5545) that Outlook, Google Calendar and Thunderbird subscribe to.
// Generated with ical-generator (line folding, escaping and CRLF are its job). Rules kept here:
// - one all-day VEVENT per dated obligation, UID = the obligation's stable id, so a refresh replaces an
//   event instead of adding a second one;
// - SEQUENCE grows when the facts behind the date change (a 見直し, a publication, a check run), and
//   DTSTAMP = LAST-MODIFIED = when they changed: a feed has no METHOD, and for such objects RFC 5545 §3.8.7.2
//   defines DTSTAMP as the time the information was last revised — which also keeps the output identical for
//   identical data (no clock);
// - the summary does not carry the state (期限間近/期限超過 change with the day, not with the facts);
//   completed obligations stay in the feed, marked 完了, so the calendar keeps their history.
import ical, { ICalEventTransparency } from 'ical-generator';
import { addDays } from './dates.ts';
import type { Obligation } from './types.ts';

export interface IcsOptions {
  /** Calendar name shown by the client. */
  name: string;
  /** Absolute URL of the dashboard, put on each event. */
  dashboardUrl?: string;
  /** Suggested refresh interval in seconds (REFRESH-INTERVAL / X-PUBLISHED-TTL). Default 6 h. */
  ttlSeconds?: number;
}

/** Host part of every UID (RFC 5545 recommends a domain-like right-hand side for global uniqueness). */
export const UID_DOMAIN = 'pia.calendar';

export const eventUid = (o: Pick<Obligation, 'id'>) => `${o.id}@${UID_DOMAIN}`;

const utcDate = (iso: string) => new Date(`${iso}T00:00:00Z`);

export function toIcs(obligations: readonly Obligation[], opts: IcsOptions): string {
  const cal = ical({
    name: opts.name,
    prodId: { company: 'pia', product: '特定個人情報保護評価 期限', language: 'JA' },
    ttl: opts.ttlSeconds ?? 6 * 3600,
    ...(opts.dashboardUrl ? { url: opts.dashboardUrl } : {}),
  });
  const dated = obligations
    .filter((o) => o.dueDate !== null)
    .slice()
    .sort((a, b) => a.id.localeCompare(b.id));
  for (const o of dated) {
    const due = o.dueDate as string;
    const modified = new Date(o.revision.modifiedAt);
    cal.createEvent({
      id: eventUid(o),
      // All-day, floating: a due date is a calendar day in Japan, not an instant.
      allDay: true,
      start: utcDate(due),
      end: utcDate(addDays(due, 1)),
      summary: `${o.state === '完了' ? '【完了】' : ''}[${o.kind}] ${o.title} — ${o.assessmentTitle}`,
      description:
        `${o.assessmentTitle}${o.orgName ? ` (${o.orgName})` : ''}\n` +
        `期限: ${o.dueDateWareki} (${due})\n根拠: ${o.basis}\n\n${o.explanation}`,
      sequence: o.revision.sequence,
      stamp: modified,
      lastModified: modified,
      transparency: ICalEventTransparency.TRANSPARENT,
      ...(opts.dashboardUrl ? { url: opts.dashboardUrl } : {}),
    });
  }
  return cal.toString();
}
