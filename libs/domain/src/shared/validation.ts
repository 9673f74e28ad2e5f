/**
 * A KvK number is eight digits. (The Chamber of Commerce publishes no check digit for it; the 11-check
 * belongs to RSIN and BSN numbers, so applying it here would refuse real companies.)
 */
export const isKvkNumber = (value: string): boolean => /^\d{8}$/.test(value) && value !== '00000000';

/** A CBS municipality code as used in organisation ids: "GM" and four digits, e.g. GM0141 (Almelo). */
export const isMunicipalityCode = (value: string): boolean => /^GM\d{4}$/.test(value);

/** SBI (Standaard Bedrijfsindeling) codes: two to five digits. */
export const isSbiCode = (value: string): boolean => /^\d{2,5}$/.test(value);

/** Organisation ids are lowercase slugs, e.g. `gm0141-almelo` or `rabobank-twente`. */
export const isOrganisationId = (value: string): boolean => /^[a-z0-9][a-z0-9-]{1,62}$/.test(value);

export const isUuid = (value: string): boolean =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

export const isEmail = (value: string): boolean => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) && value.length <= 254;

/** Dutch or international phone numbers, loosely: digits with optional +, spaces and dashes. */
export const isPhone = (value: string): boolean => /^\+?[0-9(][0-9 \-()]{6,19}$/.test(value);

/** A UTC instant such as 2026-04-20T09:00:00.000Z (0 to 3 fraction digits) that exists on the calendar. */
export function isIsoInstant(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(value)) return false;
  const ms = Date.parse(value);
  // Date.parse rolls impossible dates over (2026-02-30 becomes 2 March); a round trip catches them.
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 19) === value.slice(0, 19);
}

/**
 * Milliseconds since the epoch of an ISO instant. Compare instants with this, never as strings: with 0 to 3
 * fraction digits allowed, "…:59Z" sorts after "…:59.999Z" although it is the earlier instant.
 */
export const instantMs = (value: string): number => Date.parse(value);

export const isBlank = (value: string | null | undefined): boolean => value === null || value === undefined || value.trim() === '';

export const MAX_TEXT_LENGTH = 4000;
