import { Inject } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { DataSource } from 'typeorm';
import type { EventStore } from '@koppelstuk/event-store';
import { Ctx, EVENT_STORE, type RequestContext } from '@koppelstuk/service-kit';
import { requireOverseer } from '../authorisation';
import { collectExport } from './collect';
import { EXPORTED_EVENT_COLUMNS, exportedEvents, type ExportedEvent } from './event-export';
import type { ExportFormat } from './formats';

@Resolver('Query')
export class EventExportResolver {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly dataSource: DataSource,
  ) {}

  @Query('eventExport')
  eventExport(@Args('from') from: string | null, @Args('to') to: string | null, @Args('format') format: ExportFormat, @Ctx() { principal }: RequestContext) {
    requireOverseer(principal, 'Exporting the log');
    const range = { from: from ? new Date(from) : null, to: to ? new Date(to) : null };
    const name = `koppelstuk-events-${from?.slice(0, 10) ?? 'start'}-${to?.slice(0, 10) ?? 'now'}`;
    return collectExport<ExportedEvent>(name, format, EXPORTED_EVENT_COLUMNS, exportedEvents(this.store, this.dataSource, range));
  }
}
