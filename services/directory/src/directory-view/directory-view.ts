import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import {
  evolveOrganisation,
  type NeedCategory,
  type Organisation,
  type OrganisationEvent,
  type OrganisationKind,
  type Service,
} from '@koppelstuk/domain';
import { comparePositions, type EventStore, type Position, type RecordedEvent, type Subscription } from '@koppelstuk/event-store';
import { EVENT_STORE, toDomainEvent } from '@koppelstuk/service-kit';

export interface DirectoryEntry {
  readonly organisation: Organisation;
  readonly version: number;
}

/**
 * The directory held in memory: a few hundred organisations at national scale, rebuilt from the
 * `organisation-` streams at start and kept current by a live subscription. Mutations wait until the
 * view has seen their event, so a query right after a change sees it.
 */
@Injectable()
export class DirectoryView implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DirectoryView.name);
  private readonly entries = new Map<string, DirectoryEntry>();
  private position: Position | null = null;
  private subscription: Subscription | null = null;
  private waiters: { position: Position; resolve: () => void }[] = [];

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Reads the whole directory before the service starts answering, then follows live. */
  async onApplicationBootstrap(): Promise<void> {
    for await (const recorded of this.store.readAll({ filter: FILTER })) this.apply(recorded);
    this.subscription = this.store.subscribeToAll({ fromPosition: this.position ?? 'start', filter: FILTER });
    void this.follow(this.subscription);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
  }

  organisations(filter: { kind?: OrganisationKind | null; municipality?: string | null } = {}): Organisation[] {
    return [...this.entries.values()]
      .map((entry) => entry.organisation)
      .filter((o) => !filter.kind || o.kind === filter.kind)
      .filter((o) => !filter.municipality || worksIn(o, filter.municipality))
      .sort((a, b) => a.name.localeCompare(b.name, 'nl'));
  }

  organisation(id: string): DirectoryEntry | null {
    return this.entries.get(id) ?? null;
  }

  services(filter: { needCategory?: NeedCategory | null; municipality?: string | null } = {}): Service[] {
    return [...this.entries.values()]
      .flatMap((entry) => entry.organisation.services)
      .filter((s) => s.active)
      .filter((s) => !filter.needCategory || s.needCategories.includes(filter.needCategory))
      .filter((s) => !filter.municipality || s.municipalities.length === 0 || s.municipalities.includes(filter.municipality))
      .sort((a, b) => a.name.localeCompare(b.name, 'nl'));
  }

  service(id: string): Service | null {
    for (const entry of this.entries.values()) {
      const found = entry.organisation.services.find((s) => s.serviceId === id);
      if (found) return found;
    }
    return null;
  }

  /** Resolves once the view has applied the event at `position` (or anything later). */
  waitFor(position: Position): Promise<void> {
    if (this.position && comparePositions(this.position, position) >= 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ position, resolve }));
  }

  private async follow(subscription: Subscription): Promise<void> {
    try {
      for await (const recorded of subscription) this.apply(recorded);
    } catch (error) {
      this.logger.error(`The directory view stopped following the event store: ${(error as Error).message}`);
      setTimeout(() => void this.restart(), 1000).unref();
    }
  }

  private apply(recorded: RecordedEvent): void {
    const event = toDomainEvent<OrganisationEvent>(recorded);
    const id = recorded.stream.slice('organisation-'.length);
    const organisation = evolveOrganisation(this.entries.get(id)?.organisation ?? null, event);
    if (organisation) this.entries.set(id, { organisation, version: Number(recorded.revision) });
    this.position = recorded.position;
    this.release();
  }

  private async restart(): Promise<void> {
    this.subscription = this.store.subscribeToAll({ fromPosition: this.position ?? 'start', filter: FILTER });
    await this.follow(this.subscription);
  }

  private release(): void {
    const current = this.position as Position;
    const ready = this.waiters.filter((w) => comparePositions(current, w.position) >= 0);
    this.waiters = this.waiters.filter((w) => comparePositions(current, w.position) < 0);
    for (const waiter of ready) waiter.resolve();
  }
}

const FILTER = { streamPrefixes: ['organisation-'] };

/** A city works in its own municipality; a partner wherever one of its active services is offered. */
function worksIn(organisation: Organisation, municipality: string): boolean {
  if (organisation.kind === 'city') return organisation.municipalityCode === municipality;
  return organisation.services.some((s) => s.active && (s.municipalities.length === 0 || s.municipalities.includes(municipality)));
}
