import { Cron } from 'croner';

/** A daily post at a local time in an IANA time zone. */
export interface DailyTime {
  /** "HH:MM", 24-hour. */
  time: string;
  timeZone: string;
}

/**
 * IANA zone names as people type them. Node's ICU lists some zones under their old names (Asia/Calcutta,
 * Europe/Kiev) and leaves out UTC, so the current names are added; Intl accepts both.
 */
export const TIME_ZONES: readonly string[] = [
  'UTC',
  ...Intl.supportedValuesOf('timeZone'),
  ...['Asia/Kolkata', 'Europe/Kyiv', 'Asia/Ho_Chi_Minh', 'Asia/Kathmandu', 'Asia/Yangon', 'America/Nuuk', 'Atlantic/Faroe', 'Pacific/Kanton'],
].filter((zone, index, all) => all.indexOf(zone) === index);
const ZONE_BY_LOWER_CASE = new Map(TIME_ZONES.map((zone) => [zone.toLowerCase(), zone]));

/** The zone's IANA name as written ("europe/berlin" → "Europe/Berlin"), or undefined when there is no such zone. */
export function canonicalTimeZone(input: string): string | undefined {
  const typed = input.trim();
  const listed = ZONE_BY_LOWER_CASE.get(typed.toLowerCase());
  if (listed) return listed;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: typed }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** "9:05" or "09:05" → "09:05"; undefined for anything that is not a time of day. */
export function parseLocalTime(input: string): string | undefined {
  const match = /^([01]?\d|2[0-3])[:.h]([0-5]\d)$/.exec(input.trim());
  return match ? `${match[1]!.padStart(2, '0')}:${match[2]}` : undefined;
}

/** The calendar date at `instant` in the zone, "YYYY-MM-DD". */
export function localDay(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/** "Tue, 24 Nov 2026, 09:00" in the zone. */
export function formatInZone(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);
}

/**
 * The daily job in the zone. croner does the calendar work: a time skipped by a spring-forward change runs
 * at the first moment after the gap, and a time repeated by a fall-back change runs once.
 */
export function dailyCron(schedule: DailyTime, run?: () => Promise<unknown>): Cron {
  const [hours, minutes] = schedule.time.split(':').map(Number);
  const pattern = `${minutes} ${hours} * * *`;
  const options = { timezone: schedule.timeZone, protect: true };
  return run ? new Cron(pattern, options, async () => void (await run())) : new Cron(pattern, { ...options, paused: true });
}

/** When the next daily post is due after `now`. */
export function nextPostTime(schedule: DailyTime, now: Date): Date {
  return dailyCron(schedule).nextRun(now)!;
}

/**
 * The local day whose post is due at `now`: today's, once today's time has come. Yesterday's is never due
 * any more, so a bot that was down at post time catches up the same day and never posts a day late.
 */
export function dueDay(schedule: DailyTime, now: Date): string | undefined {
  // previousRuns looks strictly before its reference: include a run due this very millisecond.
  const last = dailyCron(schedule).previousRuns(1, new Date(now.getTime() + 1))[0];
  if (!last) return undefined;
  const day = localDay(last, schedule.timeZone);
  return day === localDay(now, schedule.timeZone) ? day : undefined;
}
