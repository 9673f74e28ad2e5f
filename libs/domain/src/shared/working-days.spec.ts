import { amsterdamDate, isWorkingDay, slaDueAt, workingDaysBetween } from './working-days';

const due = (sentAt: string, days: number): string => slaDueAt(new Date(sentAt), days).toISOString();

describe('isWorkingDay', () => {
  it.each(['2026-04-20', '2026-04-24', '2026-04-28'])('%s (a weekday) is a working day', (date) => {
    expect(isWorkingDay(date)).toBe(true);
  });
  it.each(['2026-04-25', '2026-04-26'])('%s (a weekend day) is not', (date) => {
    expect(isWorkingDay(date)).toBe(false);
  });
  it.each([
    ['2026-01-01', 'New Year'],
    ['2026-04-06', 'Easter Monday'],
    ['2026-04-27', "King's Day"],
    ['2025-04-26', "King's Day 2025 (moved to Saturday as 27 April was a Sunday)"],
    ['2026-05-14', 'Ascension Day'],
    ['2026-05-25', 'Whit Monday'],
    ['2026-12-25', 'Christmas Day'],
    ['2026-12-26', 'Boxing Day'],
  ])('%s (%s) is not a working day', (date) => {
    expect(isWorkingDay(date)).toBe(false);
  });
  it.each([
    ['2026-04-03', 'Good Friday'],
    ['2026-05-05', 'Liberation Day outside a lustrum year'],
    ['2026-12-31', "New Year's Eve"],
  ])('%s (%s, not a public holiday) is a working day', (date) => {
    expect(isWorkingDay(date)).toBe(true);
  });
});

describe('amsterdamDate', () => {
  it('is the calendar date in Amsterdam, not in UTC', () => {
    expect(amsterdamDate(new Date('2026-04-20T21:59:59.999Z'))).toBe('2026-04-20');
    expect(amsterdamDate(new Date('2026-04-20T22:00:00.000Z'))).toBe('2026-04-21'); // summer: UTC+2
    expect(amsterdamDate(new Date('2026-01-05T22:59:59.999Z'))).toBe('2026-01-05');
    expect(amsterdamDate(new Date('2026-01-05T23:00:00.000Z'))).toBe('2026-01-06'); // winter: UTC+1
  });
});

describe('slaDueAt', () => {
  it('is the end of the sending day (Amsterdam) with 0 days', () => {
    expect(due('2026-04-20T09:00:00.000Z', 0)).toBe('2026-04-20T21:59:59.999Z');
  });
  it('counts weekdays: Monday + 3 = Thursday', () => {
    expect(due('2026-04-13T09:00:00.000Z', 3)).toBe('2026-04-16T21:59:59.999Z');
  });
  it('skips the weekend: Friday + 1 = Monday', () => {
    expect(due('2026-04-17T15:00:00.000Z', 1)).toBe('2026-04-20T21:59:59.999Z');
  });
  it('sent on a Saturday, 1 working day is Monday', () => {
    expect(due('2026-04-18T10:00:00.000Z', 1)).toBe('2026-04-20T21:59:59.999Z');
  });
  it("skips King's Day: Monday 20 April + 5 = Tuesday 28 April 2026", () => {
    expect(due('2026-04-20T09:00:00.000Z', 5)).toBe('2026-04-28T21:59:59.999Z');
  });
  it("Friday 24 April + 1 = Tuesday 28 April (weekend and King's Day)", () => {
    expect(due('2026-04-24T09:00:00.000Z', 1)).toBe('2026-04-28T21:59:59.999Z');
  });
  it('skips Easter Monday: Thursday 2 April + 2 = Tuesday 7 April 2026 (Good Friday counts)', () => {
    expect(due('2026-04-02T09:00:00.000Z', 2)).toBe('2026-04-07T21:59:59.999Z');
  });
  it('skips Christmas: Wednesday 23 December + 2 = Monday 28 December 2026', () => {
    expect(due('2026-12-23T09:00:00.000Z', 2)).toBe('2026-12-28T22:59:59.999Z');
  });
  it("crosses the year and skips New Year's Day: 31 December 2026 + 1 = Monday 4 January 2027", () => {
    expect(due('2026-12-31T09:00:00.000Z', 1)).toBe('2027-01-04T22:59:59.999Z');
  });
  it('skips Ascension Day and Whit Monday', () => {
    expect(due('2026-05-13T09:00:00.000Z', 1)).toBe('2026-05-15T21:59:59.999Z');
    expect(due('2026-05-22T09:00:00.000Z', 1)).toBe('2026-05-26T21:59:59.999Z');
  });

  describe('time zone and daylight saving time', () => {
    it('is 23:59:59.999 Amsterdam time: 21:59:59.999Z in summer, 22:59:59.999Z in winter', () => {
      expect(due('2026-07-01T09:00:00.000Z', 0)).toBe('2026-07-01T21:59:59.999Z');
      expect(due('2026-01-07T09:00:00.000Z', 0)).toBe('2026-01-07T22:59:59.999Z');
    });
    it('sent in winter, due after the clocks go forward (29 March 2026): summer time', () => {
      expect(due('2026-03-27T10:00:00.000Z', 1)).toBe('2026-03-30T21:59:59.999Z');
    });
    it('sent in summer, due after the clocks go back (25 October 2026): winter time', () => {
      expect(due('2026-10-23T10:00:00.000Z', 1)).toBe('2026-10-26T22:59:59.999Z');
    });
    it('sent on the days of the change itself', () => {
      expect(due('2026-03-29T00:30:00.000Z', 0)).toBe('2026-03-29T21:59:59.999Z'); // 01:30 CET, before the change
      expect(due('2026-10-25T00:30:00.000Z', 0)).toBe('2026-10-25T22:59:59.999Z'); // 02:30 CEST, before the change
    });
    it('counts from the Amsterdam date of sending, which may be a day later than the UTC date', () => {
      // 00:30 on Tuesday in Amsterdam, still Monday in UTC.
      expect(due('2026-04-20T22:30:00.000Z', 0)).toBe('2026-04-21T21:59:59.999Z');
      expect(due('2026-01-05T23:30:00.000Z', 1)).toBe('2026-01-07T22:59:59.999Z');
      // 23:30 on Friday in Amsterdam: one working day is Monday.
      expect(due('2026-04-24T21:30:00.000Z', 1)).toBe('2026-04-28T21:59:59.999Z');
    });
  });
});

describe('workingDaysBetween', () => {
  it('is 0 on the same day and for a later start', () => {
    expect(workingDaysBetween(new Date('2026-04-20T06:00:00.000Z'), new Date('2026-04-20T21:00:00.000Z'))).toBe(0);
    expect(workingDaysBetween(new Date('2026-04-22T06:00:00.000Z'), new Date('2026-04-20T06:00:00.000Z'))).toBe(0);
  });
  it('Friday to Monday is 1', () => {
    expect(workingDaysBetween(new Date('2026-04-17T15:00:00.000Z'), new Date('2026-04-20T08:00:00.000Z'))).toBe(1);
  });
  it("skips King's Day: Monday 20 to Tuesday 28 April is 5", () => {
    expect(workingDaysBetween(new Date('2026-04-20T09:00:00.000Z'), new Date('2026-04-28T09:00:00.000Z'))).toBe(5);
  });
  it('skips Christmas and New Year: 23 December 2026 to 4 January 2027 is 6', () => {
    // 24 (1), 28 (2), 29 (3), 30 (4), 31 (5) December and 4 January (6); 25, 26 December and 1 January are holidays.
    expect(workingDaysBetween(new Date('2026-12-23T09:00:00.000Z'), new Date('2027-01-04T09:00:00.000Z'))).toBe(6);
  });
  it('counts Amsterdam dates: 23:30 to 00:30 local is the next day', () => {
    expect(workingDaysBetween(new Date('2026-04-20T21:30:00.000Z'), new Date('2026-04-20T22:30:00.000Z'))).toBe(1);
  });
  it.each([
    ['2026-04-20T09:00:00.000Z', 5],
    ['2026-03-27T10:00:00.000Z', 1],
    ['2026-12-23T09:00:00.000Z', 2],
    ['2026-05-13T09:00:00.000Z', 10],
    ['2026-01-05T23:30:00.000Z', 20],
  ])('agrees with slaDueAt: from %s to its due time with %p days', (sentAt, days) => {
    expect(workingDaysBetween(new Date(sentAt), slaDueAt(new Date(sentAt), days))).toBe(days);
  });
});
