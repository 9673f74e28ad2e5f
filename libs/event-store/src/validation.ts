import type {
  AppendOptions,
  EventFilter,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  SubscribeToAllOptions,
} from './event-store';
import { InvalidEventStoreInput } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_NAME_LENGTH = 500;
const MAX_EVENTS_PER_APPEND = 10_000;
/** Matches KurrentDB's default maximum append size, so both adapters refuse the same things. */
export const MAX_APPEND_BYTES = 16 * 1024 * 1024;

/**
 * Checks everything an append needs before any I/O, so bad input gets a clear error and writes nothing.
 * Returns the serialised data and metadata so adapters do not stringify twice.
 */
export function validateAppend(
  stream: unknown,
  events: unknown,
  options: unknown,
): { expectedRevision: ExpectedRevision; serialised: { data: string; metadata: string }[] } {
  validateStreamName(stream);
  const { expectedRevision } = validateOptions<AppendOptions>(options, ['expectedRevision'], 'append');
  validateExpectedRevision(expectedRevision);
  if (!Array.isArray(events) || events.length === 0) {
    throw new InvalidEventStoreInput('append needs a non-empty array of events');
  }
  if (events.length > MAX_EVENTS_PER_APPEND) {
    throw new InvalidEventStoreInput(`append takes at most ${MAX_EVENTS_PER_APPEND} events at once`);
  }
  const ids = new Set<string>();
  let bytes = 0;
  const serialised = events.map((event: unknown, index) => {
    const where = `event ${index}`;
    if (typeof event !== 'object' || event === null) throw new InvalidEventStoreInput(`${where} is not an object`);
    const { id, type, data, metadata } = event as Partial<NewEvent>;
    const unknownKeys = Object.keys(event).filter((k) => !['id', 'type', 'data', 'metadata'].includes(k));
    if (unknownKeys.length > 0) throw new InvalidEventStoreInput(`${where} has unknown fields: ${unknownKeys.join(', ')}`);
    if (typeof id !== 'string' || !UUID.test(id)) throw new InvalidEventStoreInput(`${where} needs a UUID id`);
    if (ids.has(id.toLowerCase())) throw new InvalidEventStoreInput(`${where} repeats id ${id} within one append`);
    ids.add(id.toLowerCase());
    if (typeof type !== 'string' || type.trim() === '' || type.length > MAX_NAME_LENGTH) {
      throw new InvalidEventStoreInput(`${where} needs a type: a non-empty string of at most ${MAX_NAME_LENGTH} characters`);
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new InvalidEventStoreInput(`${where} data must be a JSON object`);
    }
    assertJson(data, `${where} data`);
    validateMetadata(metadata, where);
    const item = { data: JSON.stringify(data), metadata: JSON.stringify(metadata) };
    bytes += Buffer.byteLength(item.data) + Buffer.byteLength(item.metadata);
    return item;
  });
  if (bytes > MAX_APPEND_BYTES) {
    throw new InvalidEventStoreInput(`append is ${bytes} bytes; the limit is ${MAX_APPEND_BYTES}`);
  }
  return { expectedRevision, serialised };
}

export function validateStreamName(stream: unknown): asserts stream is string {
  if (typeof stream !== 'string' || stream.trim() === '' || stream !== stream.trim()) {
    throw new InvalidEventStoreInput('stream name must be a non-empty string without surrounding spaces');
  }
  if (stream.length > MAX_NAME_LENGTH) {
    throw new InvalidEventStoreInput(`stream name is longer than ${MAX_NAME_LENGTH} characters`);
  }
  if (stream.startsWith('$')) {
    throw new InvalidEventStoreInput('stream names starting with "$" are reserved for the event store');
  }
}

export function validateReadStreamOptions(options: unknown): ReadStreamOptions {
  const parsed = validateOptions<ReadStreamOptions>(options ?? {}, ['fromRevision', 'direction', 'maxCount'], 'readStream');
  const { fromRevision, direction, maxCount } = parsed;
  if (fromRevision !== undefined && (typeof fromRevision !== 'bigint' || fromRevision < 0n)) {
    throw new InvalidEventStoreInput('fromRevision must be a non-negative bigint');
  }
  if (direction !== undefined && direction !== 'forwards' && direction !== 'backwards') {
    throw new InvalidEventStoreInput('direction must be "forwards" or "backwards"');
  }
  validateMaxCount(maxCount);
  return parsed;
}

export function validateReadAllOptions(options: unknown): ReadAllOptions {
  const parsed = validateOptions<ReadAllOptions>(options ?? {}, ['fromPosition', 'maxCount', 'filter'], 'readAll');
  if (parsed.fromPosition !== undefined && parsed.fromPosition !== 'start') validatePosition(parsed.fromPosition);
  validateMaxCount(parsed.maxCount);
  validateFilter(parsed.filter);
  return parsed;
}

export function validateSubscribeOptions(options: unknown): SubscribeToAllOptions {
  const parsed = validateOptions<SubscribeToAllOptions>(options ?? {}, ['fromPosition', 'filter'], 'subscribeToAll');
  const { fromPosition } = parsed;
  if (fromPosition !== undefined && fromPosition !== 'start' && fromPosition !== 'end') validatePosition(fromPosition);
  validateFilter(parsed.filter);
  return parsed;
}

function validateOptions<T>(options: unknown, allowed: readonly string[], operation: string): T {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidEventStoreInput(`${operation} options must be an object`);
  }
  const unknownKeys = Object.keys(options).filter((key) => !allowed.includes(key));
  if (unknownKeys.length > 0) {
    throw new InvalidEventStoreInput(
      `${operation} does not know the option(s) ${unknownKeys.join(', ')}; allowed: ${allowed.join(', ')}`,
    );
  }
  return options as T;
}

function validateExpectedRevision(value: unknown): asserts value is ExpectedRevision {
  if (value === 'any' || value === 'no_stream' || value === 'stream_exists') return;
  if (typeof value === 'bigint' && value >= 0n) return;
  throw new InvalidEventStoreInput(
    'expectedRevision must be "any", "no_stream", "stream_exists" or a non-negative bigint revision',
  );
}

function validateMaxCount(maxCount: unknown): void {
  if (maxCount === undefined) return;
  if (typeof maxCount !== 'number' || !Number.isSafeInteger(maxCount) || maxCount < 1) {
    throw new InvalidEventStoreInput('maxCount must be a positive integer');
  }
}

function validatePosition(value: unknown): void {
  const position = value as { commit?: unknown; prepare?: unknown } | null;
  if (
    typeof position !== 'object' ||
    position === null ||
    typeof position.commit !== 'bigint' ||
    typeof position.prepare !== 'bigint' ||
    position.commit < 0n ||
    position.prepare < 0n
  ) {
    throw new InvalidEventStoreInput('a position must be { commit: bigint, prepare: bigint } with non-negative values');
  }
}

function validateFilter(filter: unknown): asserts filter is EventFilter | undefined {
  if (filter === undefined) return;
  const parsed = validateOptions<EventFilter>(filter, ['streamPrefixes', 'eventTypes'], 'filter');
  for (const [name, list] of Object.entries(parsed)) {
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.length === 0 || list.some((item) => typeof item !== 'string' || item === '')) {
      throw new InvalidEventStoreInput(`filter.${name} must be a non-empty array of non-empty strings`);
    }
  }
}

function validateMetadata(metadata: unknown, where: string): void {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new InvalidEventStoreInput(`${where} needs metadata`);
  }
  const m = metadata as Record<string, unknown>;
  if (typeof m['correlationId'] !== 'string' || m['correlationId'] === '') {
    throw new InvalidEventStoreInput(`${where} metadata needs a correlationId`);
  }
  if (m['causationId'] !== null && typeof m['causationId'] !== 'string') {
    throw new InvalidEventStoreInput(`${where} metadata.causationId must be a string or null`);
  }
  if (!Number.isInteger(m['schemaVersion']) || (m['schemaVersion'] as number) < 1) {
    throw new InvalidEventStoreInput(`${where} metadata.schemaVersion must be a positive integer`);
  }
  const actor = m['actor'] as Record<string, unknown> | undefined;
  if (
    typeof actor !== 'object' ||
    actor === null ||
    typeof actor['userId'] !== 'string' ||
    (actor['organisationId'] !== null && typeof actor['organisationId'] !== 'string') ||
    !Array.isArray(actor['roles'])
  ) {
    throw new InvalidEventStoreInput(`${where} metadata.actor needs userId, organisationId (or null) and roles`);
  }
  assertJson(metadata, `${where} metadata`);
}

/**
 * Only values that survive JSON (and PostgreSQL jsonb) unchanged: no undefined, functions, symbols,
 * bigints, non-finite numbers, class instances, cycles, or NUL characters (jsonb refuses those).
 */
export function assertJson(value: unknown, where: string, seen: Set<object> = new Set()): void {
  switch (typeof value) {
    case 'string':
      if (value.includes('\u0000')) throw new InvalidEventStoreInput(`${where} contains a NUL character`);
      return;
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new InvalidEventStoreInput(`${where} contains a non-finite number`);
      return;
    case 'object': {
      if (value === null) return;
      if (seen.has(value)) throw new InvalidEventStoreInput(`${where} contains a cycle`);
      const prototype = Object.getPrototypeOf(value);
      if (!Array.isArray(value) && prototype !== Object.prototype && prototype !== null) {
        throw new InvalidEventStoreInput(`${where} contains a non-JSON object (${prototype?.constructor?.name ?? '?'})`);
      }
      seen.add(value);
      for (const [key, child] of Object.entries(value)) {
        if (key.includes('\u0000')) throw new InvalidEventStoreInput(`${where} has a key with a NUL character`);
        assertJson(child, `${where}.${key}`, seen);
      }
      seen.delete(value);
      return;
    }
    default:
      throw new InvalidEventStoreInput(`${where} is not JSON: found ${typeof value}`);
  }
}
