import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { SYSTEM_ACTOR } from '@koppelstuk/domain';
import { SERVICE_CONFIG, type CommandEnvelope } from '@koppelstuk/service-kit';
import { ActOnReferral } from '../act-on-referral/act-on-referral';
import type { ReferralsConfig } from '../config';
import { ForwardCompletion } from '../forward-referral/forward-referral';

/**
 * The clock of the network: referrals still unanswered after their SLA get a ReferralOverdue event
 * (a flag, not a status), and forwards whose new referral is missing (a crash between the two appends)
 * are completed. Every replica may run it: the decider makes a second MarkOverdue a no-op and the
 * event store's expected revision lets only one append win.
 */
@Injectable()
export class DeadlineWatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeadlineWatcher.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly commands: CommandBus,
    private readonly forwards: ForwardCompletion,
    @Inject(SERVICE_CONFIG) private readonly config: ReferralsConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.DEADLINE_CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One pass; also called directly by tests. */
  tick(now: Date = new Date()): Promise<void> {
    this.running ??= this.pass(now).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(now: Date): Promise<void> {
    try {
      const due: { referral_id: string }[] = await this.dataSource.query(
        `select referral_id from referrals.open_referrals where status = 'sent' and not overdue and sla_due_at <= $1 order by sla_due_at limit 500`,
        [now.toISOString()],
      );
      for (const { referral_id: referralId } of due) {
        const envelope = this.envelope('MarkOverdue', `overdue-${referralId}`);
        await this.commands.execute(new ActOnReferral(referralId, { type: 'MarkOverdue', actor: SYSTEM_ACTOR, at: now.toISOString() }, envelope));
      }
      const stuck: { referral_id: string }[] = await this.dataSource.query(
        `select referral_id from referrals.pending_forwards where forwarded_at <= $1 limit 100`,
        [new Date(now.getTime() - 30_000).toISOString()],
      );
      for (const { referral_id: referralId } of stuck) {
        await this.forwards.complete(referralId, this.envelope('OpenForwardedReferral', `forward-${referralId}`));
      }
    } catch (error) {
      this.logger.error(`Deadline pass failed; it runs again at the next interval: ${(error as Error).message}`);
    }
  }

  private envelope(commandType: string, key: string): CommandEnvelope {
    return { actor: SYSTEM_ACTOR, correlationId: `deadline-watcher-${Date.now()}`, idempotencyKey: key, expectedVersion: null, commandType };
  }
}
