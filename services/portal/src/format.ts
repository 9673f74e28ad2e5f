import { locale } from './i18n';

/** Dates, money and numbers in the reader's language, times in the Netherlands' time zone. */
const zone = 'Europe/Amsterdam';

export const formatDate = (iso: string | null | undefined, language: string) =>
  iso ? new Intl.DateTimeFormat(locale(language), { day: 'numeric', month: 'short', year: 'numeric', timeZone: zone }).format(new Date(iso)) : '–';

export const formatDateTime = (iso: string | null | undefined, language: string) =>
  iso
    ? new Intl.DateTimeFormat(locale(language), { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: zone }).format(new Date(iso))
    : '–';

/** With seconds: what auditors compare events and moments by. */
export const formatDateTimeSeconds = (iso: string | null | undefined, language: string) =>
  iso
    ? new Intl.DateTimeFormat(locale(language), { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: zone }).format(new Date(iso))
    : '–';

/** A duration in days as people say it: under a day in hours, otherwise days with one decimal. */
export function formatDays(days: number | null | undefined, language: string, words: { lessThanHour: string; hours: (n: string) => string; days: (n: string) => string }): string {
  if (days === null || days === undefined) return '–';
  const hours = days * 24;
  if (hours < 1) return words.lessThanHour;
  if (days < 1) return words.hours(formatNumber(hours, language, 0));
  return words.days(formatNumber(days, language, 1));
}

export const formatTime = (date: Date, language: string) => new Intl.DateTimeFormat(locale(language), { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: zone }).format(date);

export const formatEuros = (euros: number | null | undefined, language: string, fractionDigits = 0) =>
  euros === null || euros === undefined
    ? '–'
    : new Intl.NumberFormat(locale(language), { style: 'currency', currency: 'EUR', minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(euros);

export const formatCents = (cents: number | null | undefined, language: string) => (cents === null || cents === undefined ? '–' : formatEuros(cents / 100, language, cents % 100 === 0 ? 0 : 2));

export const formatNumber = (value: number | null | undefined, language: string, fractionDigits = 0) =>
  value === null || value === undefined ? '–' : new Intl.NumberFormat(locale(language), { maximumFractionDigits: fractionDigits, minimumFractionDigits: fractionDigits }).format(value);

export const formatPercent = (share: number | null | undefined, language: string) =>
  share === null || share === undefined ? '–' : new Intl.NumberFormat(locale(language), { style: 'percent', maximumFractionDigits: 0 }).format(share);

/** "85.000,50", "85000", "€ 85.000" or "85,000.50" → cents; null when it is not an amount. */
export function parseEuros(text: string): number | null {
  let value = text.replace(/[€\s]/g, '');
  if (value === '') return null;
  if (/^\d{1,3}(,\d{3})+(\.\d{1,2})?$/.test(value)) value = value.replace(/,/g, '');
  else if (value.includes(',')) value = value.replace(/\./g, '').replace(',', '.');
  else if (/^\d{1,3}(\.\d{3})+$/.test(value)) value = value.replace(/\./g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(value)) return null;
  const cents = Math.round(Number(value) * 100);
  return Number.isSafeInteger(cents) ? cents : null;
}

/** A KvK number: 8 digits, not all zeros (the Chamber of Commerce publishes no check digit). */
export const isKvkNumber = (value: string) => /^\d{8}$/.test(value) && value !== '00000000';
export const isSbiCode = (value: string) => /^\d{2,5}$/.test(value);
export const isEmail = (value: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) && value.length <= 254;
export const isPhone = (value: string) => /^\+?[0-9(][0-9 \-()]{6,19}$/.test(value);

/** A <input type="date"> value (YYYY-MM-DD) for a Date, in the Netherlands' calendar. */
export const dateInputValue = (date: Date) => new Intl.DateTimeFormat('sv-SE', { timeZone: zone }).format(date);

/** A <input type="datetime-local"> value for a Date, in the browser's local time. */
export function dateTimeInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
