import { Inject } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import type { EventStore } from '@koppelstuk/event-store';
import { Ctx, EVENT_STORE, type RequestContext } from '@koppelstuk/service-kit';
import { organisationRef } from '../graphql-nodes';
import { referralAsOf } from './referral-as-of';

@Resolver('Query')
export class AsOfResolver {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Query('referralAsOf')
  async referralAsOf(@Args('id') id: string, @Args('at') at: string, @Ctx() { principal }: RequestContext) {
    const snapshot = await referralAsOf(this.store, id, new Date(at), principal);
    if (!snapshot) return null;
    const r = snapshot.referral;
    return {
      referralId: r.referralId,
      at: snapshot.at,
      version: snapshot.version,
      eventsApplied: snapshot.eventsApplied,
      status: r.status,
      city: organisationRef(r.cityId),
      partner: organisationRef(r.partnerId),
      needCategory: r.needCategory,
      sentAt: r.sentAt,
      slaDueAt: r.slaDueAt,
      overdue: r.overdue,
      firstResponseAt: r.firstResponseAt,
      forwardedToReferralId: r.forwardedToReferralId,
      outcomes: r.outcomes.map((outcome) => ({ code: outcome.code, amountCents: outcome.amountCents, occurredAt: outcome.occurredAt, recordedAt: outcome.recordedAt })),
    };
  }
}
