import { DECLINE_REASONS, type OutcomeCode } from '@koppelstuk/domain';
import { G40_CITIES, cityId } from '@koppelstuk/seed';
import type { ReferralWriter } from './referral-writer';

/** A small, fast, seedable random source (mulberry32), so a mix can be generated again exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface MixOptions {
  /** Stop once at least this many events were written (the last referral's story is completed). */
  readonly events: number;
  readonly seed?: number;
  /** The first referral's time; the rest spread over `days`. */
  readonly start?: Date;
  readonly days?: number;
  /** Share of referrals whose consent allows anonymous statistics. Default 0.9. */
  readonly anonymousStatisticsShare?: number;
}

export interface MixReport {
  readonly referrals: number;
  readonly events: number;
  readonly referralIds: readonly string[];
}

const HOUR = 3_600_000;

/**
 * A realistic mix of referral histories over the demo G40 network, written through the real deciders:
 * most referrals are accepted and worked to an outcome (advice, coaching, loans with amounts, months-late
 * outcomes), some are declined for coded reasons, some wait for information, some are forwarded to a
 * better-placed partner, withdrawn, become overdue or are still open. Shared by read-model tests and
 * the benchmarks.
 */
export async function writeReferralMix(writer: ReferralWriter, options: MixOptions): Promise<MixReport> {
  const random = seededRandom(options.seed ?? 42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const start = (options.start ?? new Date(Date.now() - 400 * 24 * HOUR)).getTime();
  const spanMs = (options.days ?? 365) * 24 * HOUR;
  const startCount = writer.eventsWritten.count;
  const referralIds: string[] = [];
  let n = 0;
  while (writer.eventsWritten.count - startCount < options.events) {
    n++;
    const city = pick(G40_CITIES);
    const choice = pick(writer.servicesFor(city.code));
    let t = start + Math.floor(random() * spanMs);
    const at = (hoursLater: number) => {
      t += Math.max(1, Math.floor(hoursLater * HOUR));
      return new Date(t).toISOString();
    };
    const need = pick(choice.needCategories);
    const { referralId } = await writer.make({
      cityId: cityId(city),
      partnerId: choice.partnerId,
      serviceId: choice.serviceId,
      needCategory: need,
      kvkNumber: String(10_000_000 + Math.floor(random() * 4_000)),
      businessName: `Onderneming ${n}`,
      anonymousStatistics: random() < (options.anonymousStatisticsShare ?? 0.9),
      at: new Date(t).toISOString(),
    });
    referralIds.push(referralId);
    const roll = random();
    if (roll < 0.1) {
      await writer.decline(referralId, pick(DECLINE_REASONS), at(24 + random() * 96));
    } else if (roll < 0.15) {
      await writer.withdraw(referralId, at(12 + random() * 72));
    } else if (roll < 0.22 && writer.servicesFor(city.code).some((s) => s.partnerId !== choice.partnerId && s.needCategories.includes(need))) {
      const other = writer.servicesFor(city.code).filter((s) => s.partnerId !== choice.partnerId && s.needCategories.includes(need));
      const target = pick(other);
      const forwardedTo = await writer.forward(referralId, target.partnerId, target.serviceId, at(24 + random() * 72));
      referralIds.push(forwardedTo);
      if (random() < 0.7) await workToOutcome(writer, forwardedTo, at, random, pick);
    } else if (roll < 0.3) {
      await writer.markOverdue(referralId, at(24 * 45));
      if (random() < 0.5) await writer.accept(referralId, at(24));
    } else if (roll < 0.38) {
      // Still waiting for the partner.
    } else {
      if (random() < 0.2) {
        await writer.requestInformation(referralId, at(24 + random() * 48));
        await writer.provideInformation(referralId, at(12 + random() * 72));
      }
      await workToOutcome(writer, referralId, at, random, pick);
    }
  }
  return { referrals: referralIds.length, events: writer.eventsWritten.count - startCount, referralIds };
}

async function workToOutcome(
  writer: ReferralWriter,
  referralId: string,
  at: (hoursLater: number) => string,
  random: () => number,
  pick: <T>(items: readonly T[]) => T,
): Promise<void> {
  await writer.accept(referralId, at(4 + random() * 60));
  if (random() < 0.15) return; // accepted, nothing more yet
  await writer.startWork(referralId, at(24 + random() * 120));
  const code: OutcomeCode = pick(['advice_given', 'coaching_started', 'financing_granted', 'loan_or_guarantee', 'subsidy_granted', 'permit_granted', 'no_fit']);
  const amount = ['financing_granted', 'loan_or_guarantee', 'subsidy_granted'].includes(code) ? 500_000 + Math.floor(random() * 50_000_000) : null;
  const occurred = at(24 * (3 + random() * 40));
  await writer.recordOutcome(referralId, { code, amountCents: amount, occurredAt: occurred, jobsRetained: Math.floor(random() * 20), jobsCreated: Math.floor(random() * 5) }, at(1));
  if (random() < 0.75) await writer.close(referralId, at(24));
  if (random() < 0.1) {
    // A loan approved months later: recorded long after, occurred some time before it was recorded.
    const occurredLate = at(24 * (60 + random() * 60));
    await writer.recordOutcome(referralId, { code: 'loan_or_guarantee', amountCents: 2_500_000 + Math.floor(random() * 20_000_000), occurredAt: occurredLate }, at(24 * 10));
  }
}
