/** Where the bot gets the time from; tests pass a fixed one. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** YYYY-MM-DD in UK local time: the only time the records keep. */
const ukDayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The day changes at most once a minute, so the formatted day is kept for the minute it was asked in. */
let lastMinute = Number.NaN;
let lastDay = '';

export function ukDay(date: Date): string {
  const minute = Math.floor(date.getTime() / 60_000);
  if (minute !== lastMinute) {
    lastMinute = minute;
    lastDay = ukDayFormat.format(date);
  }
  return lastDay;
}

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
