import { randomUUID } from 'node:crypto';
import {
  CURRENT_SCHEMA_VERSION,
  decideOrganisation,
  evolveOrganisation,
  organisationStream,
  type CommandActor,
  type OrganisationCommand,
  type OrganisationEvent,
  type OrganisationState,
} from '@koppelstuk/domain';
import { WrongExpectedRevision, type EventStore, type JsonObject } from '@koppelstuk/event-store';
import { DEMO_DIRECTORY, type DemoOrganisation } from './g40-directory';

/** The directory is changed by admins only; the seed acts as the programme office's administrator. */
export const SEED_ACTOR: CommandActor = { userId: 'seed', organisationId: 'g40-programmabureau', roles: ['admin'] };

export interface SeedReport {
  readonly organisations: number;
  readonly eventsAppended: number;
}

/**
 * Brings the directory up to the given demo data through the same deciders as the admin mutations.
 * Idempotent: what is already there is left alone, so running it on every start costs a few reads.
 */
export async function seedDirectory(store: EventStore, directory: readonly DemoOrganisation[] = DEMO_DIRECTORY, now = new Date()): Promise<SeedReport> {
  let eventsAppended = 0;
  const correlationId = `seed-${randomUUID()}`;
  for (const organisation of directory) {
    for (let attempt = 1; ; attempt++) {
      try {
        eventsAppended += await seedOrganisation(store, organisation, now.toISOString(), correlationId);
        break;
      } catch (error) {
        // Another seeding process got there first: look again.
        if (!(error instanceof WrongExpectedRevision) || attempt >= 3) throw error;
      }
    }
  }
  return { organisations: directory.length, eventsAppended };
}

async function seedOrganisation(store: EventStore, wanted: DemoOrganisation, at: string, correlationId: string): Promise<number> {
  const stream = organisationStream(wanted.id);
  let state: OrganisationState = null;
  let revision: bigint | null = null;
  for await (const recorded of store.readStream(stream)) {
    state = evolveOrganisation(state, { type: recorded.type, data: recorded.data } as unknown as OrganisationEvent);
    revision = recorded.revision;
  }
  const events: OrganisationEvent[] = [];
  const run = (command: OrganisationCommand) => {
    const decision = decideOrganisation(state, command);
    if (!decision.ok) throw new Error(`Seeding ${wanted.id}: ${decision.error.message}`);
    for (const event of decision.events) {
      events.push(event);
      state = evolveOrganisation(state, event);
    }
  };
  const base = { actor: SEED_ACTOR, at };
  if (state === null) {
    run({ ...base, type: 'RegisterOrganisation', organisationId: wanted.id, name: wanted.name, kind: wanted.kind, municipalityCode: wanted.municipalityCode, region: wanted.region });
  }
  for (const service of wanted.services) {
    if (state?.services.some((s) => s.serviceId === service.id)) continue;
    run({
      ...base,
      type: 'OfferService',
      serviceId: service.id,
      name: service.name,
      description: service.description,
      needCategories: service.needCategories,
      municipalities: service.municipalities,
      slaWorkingDays: service.slaWorkingDays,
      eligibilityNotes: service.eligibilityNotes,
    });
  }
  for (const member of wanted.members) {
    const existing = state?.members.find((m) => m.userId === member.userId);
    if (!existing) {
      run({ ...base, type: 'AddMember', userId: member.userId, displayName: member.displayName, roles: member.roles, email: member.email, language: member.language });
    } else if (existing.email === null) {
      // Directories seeded before members had addresses get them now.
      run({ ...base, type: 'ChangeMemberContact', userId: member.userId, email: member.email, language: member.language });
    }
  }
  if (events.length === 0) return 0;
  await store.append(
    stream,
    events.map((event) => ({
      id: randomUUID(),
      type: event.type,
      data: event.data as unknown as JsonObject,
      metadata: {
        correlationId,
        causationId: null,
        actor: { userId: SEED_ACTOR.userId, organisationId: SEED_ACTOR.organisationId, roles: [...SEED_ACTOR.roles] },
        schemaVersion: CURRENT_SCHEMA_VERSION[event.type],
        commandType: 'Seed',
      },
    })),
    { expectedRevision: revision === null ? 'no_stream' : revision },
  );
  return events.length;
}
