import type Holidays from 'date-holidays';

/**
 * Dutch working days for SLA clocks: Monday to Friday, except the public holidays of the Netherlands
 * (date-holidays, type "public": New Year, Easter, King's Day, Ascension, Whitsun, Christmas). Days are
 * calendar days in Europe/Amsterdam, where the cities and partners work.
 */
const ZONE = 'Europe/Amsterdam';
const holidaysByYear = new Map<number, Set<string>>();
// Loaded on first use: the package's calendar data costs about 20 MB of memory in every process that
// requires it, and only the processes that count working days need it.
let calendar: Holidays | null = null;
function dutchCalendar(): Holidays {
  const HolidaysClass = require('date-holidays') as typeof Holidays;
  return new HolidaysClass('NL');
}

function publicHolidays(year: number): Set<string> {
  let dates = holidaysByYear.get(year);
  if (!dates) {
    calendar ??= dutchCalendar();
    dates = new Set(calendar.getHolidays(year).filter((h) => h.type === 'public').map((h) => h.date.slice(0, 10)));
    holidaysByYear.set(year, dates);
  }
  return dates;
}

const dateFormat = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
const timeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** The Amsterdam calendar date (YYYY-MM-DD) of an instant. */
export function amsterdamDate(instant: Date): string {
  return dateFormat.format(instant);
}

export function isWorkingDay(date: string): boolean {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !publicHolidays(year).has(date);
}

function nextDate(date: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
}

/** The instant at which an Amsterdam local date/time occurs. */
function amsterdamInstant(date: string, hours: number, minutes: number, seconds: number, ms: number): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const wanted = Date.UTC(year, month - 1, day, hours, minutes, seconds, ms);
  let guess = wanted - 60 * 60 * 1000; // Amsterdam is UTC+1 or UTC+2
  for (let i = 0; i < 3; i++) {
    const parts = Object.fromEntries(timeFormat.formatToParts(new Date(guess)).map((p) => [p.type, p.value]));
    const local = Date.UTC(Number(parts['year']), Number(parts['month']) - 1, Number(parts['day']), Number(parts['hour']), Number(parts['minute']), Number(parts['second']), guess % 1000);
    if (local === wanted) break;
    guess += wanted - local;
  }
  return new Date(guess);
}

/**
 * When a response is due: the end (23:59:59.999, Amsterdam time) of the `days`-th working day after the
 * day the referral was sent. With 0 days, the end of the sending day.
 */
export function slaDueAt(sentAt: Date, days: number): Date {
  let date = amsterdamDate(sentAt);
  for (let counted = 0; counted < days; ) {
    date = nextDate(date);
    if (isWorkingDay(date)) counted++;
  }
  return amsterdamInstant(date, 23, 59, 59, 999);
}

/** Whole working days from one instant to a later one (0 when both fall on the same day). */
export function workingDaysBetween(from: Date, to: Date): number {
  let date = amsterdamDate(from);
  const end = amsterdamDate(to);
  let count = 0;
  while (date < end) {
    date = nextDate(date);
    if (isWorkingDay(date)) count++;
  }
  return count;
}
