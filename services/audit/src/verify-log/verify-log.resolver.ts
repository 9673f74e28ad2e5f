import { Inject } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { DataSource } from 'typeorm';
import type { EventStore } from '@koppelstuk/event-store';
import { appError, Ctx, EVENT_STORE, type RequestContext } from '@koppelstuk/service-kit';
import { requireOverseer } from '../authorisation';
import type { ChainSigner } from '../chain/chain-signer';
import { latestCheckpoints } from '../chain/checkpoints';
import { CHAIN_SIGNER } from '../chain/tokens';
import { VerificationRangeError, verifyLog } from './verify-log';

@Resolver('Query')
export class VerifyLogResolver {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly dataSource: DataSource,
    @Inject(CHAIN_SIGNER) private readonly signer: ChainSigner,
  ) {}

  /** The whole log, not one organisation's part of it: for auditors and admins. */
  @Query('verifyLog')
  async verifyLog(@Args('from') from: number | null, @Args('to') to: number | null, @Ctx() { principal }: RequestContext) {
    requireOverseer(principal, 'Verifying the log');
    try {
      return await verifyLog(this.store, this.dataSource, { from, to, trustedKeyIds: [this.signer.keyId] });
    } catch (error) {
      if (error instanceof VerificationRangeError) throw appError('BAD_USER_INPUT', error.message);
      throw error;
    }
  }

  @Query('chainCheckpoints')
  async chainCheckpoints(@Args('first') first: number, @Ctx() { principal }: RequestContext) {
    requireOverseer(principal, 'The chain checkpoints');
    if (!Number.isInteger(first) || first < 1 || first > 1000) throw appError('BAD_USER_INPUT', 'first is 1 to 1000', { field: 'first' });
    return (await latestCheckpoints(this.dataSource, first)).map((checkpoint) => ({
      sequence: checkpoint.sequence,
      hash: checkpoint.hash,
      signedAt: checkpoint.signedAt,
      signature: checkpoint.signature,
      publicKey: checkpoint.publicKey,
    }));
  }
}
