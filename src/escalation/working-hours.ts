/**
 * Working time in UK local time (Europe/London, British Summer Time included): Monday to Friday,
 * between the configured start and end of the day. Bank holidays count as working days.
 */
export interface WorkingDay {
  /** Minutes after midnight, UK time. */
  startMinute: number;
  endMinute: number;
}

export const defaultWorkingDay: WorkingDay = { startMinute: 9 * 60, endMinute: 17 * 60 };

interface UkDate {
  year: number;
  month: number;
  day: number;
  /** 0 Sunday to 6 Saturday. */
  weekday: number;
  /** Minutes after midnight. */
  minutes: number;
}

const partsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  weekday: 'short',
  hour: 'numeric',
  minute: 'numeric',
  hourCycle: 'h23',
});
const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const minuteMs = 60_000;

function ukDate(date: Date): UkDate {
  const parts: Record<string, string> = {};
  for (const part of partsFormat.formatToParts(date)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: weekdays.indexOf(parts.weekday ?? ''),
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** The moment a UK wall-clock time happens (UK time is UTC or UTC+1). */
function ukMoment(year: number, month: number, day: number, minutes: number): Date {
  const asUtc = Date.UTC(year, month - 1, day, 0, minutes);
  for (const offset of [0, 60]) {
    const candidate = new Date(asUtc - offset * minuteMs);
    const seen = ukDate(candidate);
    if (seen.day === day && seen.minutes === minutes % (24 * 60)) return candidate;
  }
  return new Date(asUtc);
}

function nextDay(date: UkDate): UkDate {
  const next = new Date(Date.UTC(date.year, date.month - 1, date.day + 1));
  return {
    year: next.getUTCFullYear(),
    month: next.getUTCMonth() + 1,
    day: next.getUTCDate(),
    weekday: (date.weekday + 1) % 7,
    minutes: 0,
  };
}

const isWeekday = (date: UkDate) => date.weekday >= 1 && date.weekday <= 5;
/** Enough days for any setting (40 working hours is at most a fortnight) and any report span. */
const maxDays = 4000;

/** The moment `hours` of working time after `start`. */
export function addWorkingHours(start: Date, hours: number, workingDay: WorkingDay = defaultWorkingDay): Date {
  let remaining = Math.round(hours * 60 * 60_000);
  let today = ukDate(start);
  for (let days = 0; days < maxDays; days++, today = nextDay(today)) {
    if (!isWeekday(today)) continue;
    const dayStart = ukMoment(today.year, today.month, today.day, workingDay.startMinute).getTime();
    const dayEnd = ukMoment(today.year, today.month, today.day, workingDay.endMinute).getTime();
    const from = Math.max(dayStart, start.getTime());
    if (from >= dayEnd) continue;
    if (remaining <= dayEnd - from) return new Date(from + remaining);
    remaining -= dayEnd - from;
  }
  throw new Error('working hours could not be added');
}

/** Working minutes between two moments (0 when `end` is not after `start`). */
export function workingMinutesBetween(start: Date, end: Date, workingDay: WorkingDay = defaultWorkingDay): number {
  if (end.getTime() <= start.getTime()) return 0;
  let total = 0;
  let today = ukDate(start);
  for (let days = 0; days < maxDays; days++, today = nextDay(today)) {
    const dayStart = ukMoment(today.year, today.month, today.day, workingDay.startMinute).getTime();
    if (dayStart >= end.getTime()) break;
    if (!isWeekday(today)) continue;
    const dayEnd = ukMoment(today.year, today.month, today.day, workingDay.endMinute).getTime();
    const overlap = Math.min(dayEnd, end.getTime()) - Math.max(dayStart, start.getTime());
    if (overlap > 0) total += overlap;
  }
  return Math.round(total / minuteMs);
}

const whenFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** "14:05 on Tuesday 24 November 2026" in UK time. */
export function ukTimeText(date: Date): string {
  const parts: Record<string, string> = {};
  for (const part of whenFormat.formatToParts(date)) parts[part.type] = part.value;
  return `${parts.hour}:${parts.minute} on ${parts.weekday} ${parts.day} ${parts.month} ${parts.year}`;
}

/** "2 working hours", "30 working minutes", "1.5 working hours". */
export function workingHoursText(hours: number): string {
  if (hours < 1) return `${Math.round(hours * 60)} working minutes`;
  return hours === 1 ? '1 working hour' : `${Number(hours.toFixed(2))} working hours`;
}
