import type { OpeningPeriod, Weekday } from '../knowledge/pack-types.js';

export interface OpeningStatus {
  open: boolean;
  /** "Open now, until 4pm" or "Closed, opens Monday at 10am". */
  text: string;
}

const weekdays: Weekday[] = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

interface LocalTime {
  dayIndex: number;
  minutes: number;
}

/**
 * Whether a service is open at `now`, by its published hours in the pack's time zone (Europe/London,
 * so British Summer Time is handled by the platform's time-zone data, not by us).
 */
export function openingStatus(hours: readonly OpeningPeriod[], now: Date, timeZone: string): OpeningStatus {
  // Every answer lists contacts, and a status changes at most once a minute: worked out once a minute per contact.
  const minute = Math.floor(now.getTime() / 60_000);
  const known = lastStatus.get(hours);
  if (known?.minute === minute && known.timeZone === timeZone) return known.status;
  const status = Object.freeze(statusAt(hours, now, timeZone));
  lastStatus.set(hours, { minute, timeZone, status });
  return status;
}

/** Each set of hours' status for the last minute asked about (the pack's hours live as long as the pack). */
const lastStatus = new WeakMap<readonly OpeningPeriod[], { minute: number; timeZone: string; status: OpeningStatus }>();

function statusAt(hours: readonly OpeningPeriod[], now: Date, timeZone: string): OpeningStatus {
  const local = localTime(now, timeZone);
  for (const period of hours) {
    if (
      period.days.includes(weekdays[local.dayIndex]!) &&
      local.minutes >= toMinutes(period.opens) &&
      local.minutes < toMinutes(period.closes)
    ) {
      return { open: true, text: `Open now, until ${clockText(period.closes)}` };
    }
  }
  for (let ahead = 0; ahead <= 7; ahead++) {
    const dayIndex = (local.dayIndex + ahead) % 7;
    const opening = hours
      .filter((period) => period.days.includes(weekdays[dayIndex]!))
      .map((period) => toMinutes(period.opens))
      .filter((opens) => ahead > 0 || opens > local.minutes)
      .sort((a, b) => a - b)[0];
    if (opening !== undefined) {
      const when = ahead === 0 ? 'today' : ahead === 1 ? 'tomorrow' : capitalise(weekdays[dayIndex]!);
      return { open: false, text: `Closed, opens ${when} at ${clockText(fromMinutes(opening))}` };
    }
  }
  return { open: false, text: 'Closed' };
}

/** Building a formatter is costly (it loads time-zone data); one per zone is enough. */
const formatters = new Map<string, Intl.DateTimeFormat>();
/** A zone's offset from UTC, by UTC hour: UK clocks change on the hour, so an hour's offset never varies. */
const offsets = new Map<string, number>();
const hourMs = 60 * 60 * 1000;

function localTime(now: Date, timeZone: string): LocalTime {
  const hour = Math.floor(now.getTime() / hourMs);
  const key = `${timeZone}|${hour}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = offsetMinutes(new Date(hour * hourMs), timeZone);
    if (offsets.size > 1000) offsets.clear();
    offsets.set(key, offset);
  }
  const local = new Date(now.getTime() + offset * 60_000);
  return { dayIndex: local.getUTCDay(), minutes: local.getUTCHours() * 60 + local.getUTCMinutes() };
}

/** How far the zone's wall clock is ahead of UTC at that moment, in minutes (60 in British Summer Time). */
function offsetMinutes(at: Date, timeZone: string): number {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(at);
  const part = (type: string) => parts.find((candidate) => candidate.type === type)?.value ?? '';
  const localMinutes =
    weekdays.indexOf(part('weekday').toLowerCase() as Weekday) * 1440 + Number(part('hour')) * 60 + Number(part('minute'));
  const utcMinutes = at.getUTCDay() * 1440 + at.getUTCHours() * 60 + at.getUTCMinutes();
  const week = 7 * 1440;
  const difference = (((localMinutes - utcMinutes) % week) + week) % week;
  return difference > week / 2 ? difference - week : difference;
}

function toMinutes(clock: string): number {
  const [hours, minutes] = clock.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

function fromMinutes(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** "16:00" -> "4pm", "09:30" -> "9:30am": how the procedure writes times. */
function clockText(clock: string): string {
  const [hours = 0, minutes = 0] = clock.split(':').map(Number);
  const suffix = hours >= 12 ? 'pm' : 'am';
  const hour12 = hours % 12 === 0 ? 12 : hours % 12;
  return minutes === 0 ? `${hour12}${suffix}` : `${hour12}:${String(minutes).padStart(2, '0')}${suffix}`;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
