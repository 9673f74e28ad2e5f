/**
 * Test-only: the event contracts of schema/events (JSON Schema 2020-12), loaded with Ajv, and a helper that
 * turns an event as the deciders emit it into the form the event log stores (every non-null `personal`
 * value sealed). Not exported from the library's index: the domain itself does no I/O.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

export const EVENT_SCHEMA_DIR = resolve(__dirname, '../../../../schema/events');
export const SEALED_SCHEMA_FILE = 'sealed-personal-data.schema.json';
const VERSIONED_FILE = /^([A-Za-z]+)\.v(\d+)\.schema\.json$/;

export interface EventContracts {
  /** Event type → validator of its current (v1) `data` schema. */
  readonly validators: ReadonlyMap<string, ValidateFunction>;
  /** Every `<Type>.v<N>.schema.json` file name in the folder. */
  readonly files: readonly string[];
}

let cached: EventContracts | null = null;

export function loadEventContracts(): EventContracts {
  if (cached) return cached;
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  const readJson = (file: string): Record<string, unknown> => JSON.parse(readFileSync(join(EVENT_SCHEMA_DIR, file), 'utf8'));
  ajv.addSchema(readJson(SEALED_SCHEMA_FILE));
  const files = readdirSync(EVENT_SCHEMA_DIR).filter((file) => file.endsWith('.json') && file !== SEALED_SCHEMA_FILE).sort();
  const validators = new Map<string, ValidateFunction>();
  for (const file of files) {
    const match = VERSIONED_FILE.exec(file);
    if (!match) throw new Error(`Unexpected file in ${EVENT_SCHEMA_DIR}: ${file}`);
    if (match[2] === '1') validators.set(match[1] as string, ajv.compile(readJson(file)));
  }
  cached = { validators, files };
  return cached;
}

/** The stored form of one `personal` value: an AES-256-GCM envelope with random bytes standing in for real ones. */
export interface SealedPersonalData {
  readonly alg: 'A256GCM';
  readonly subjectId: string;
  readonly keyId: string;
  readonly iv: string;
  readonly ciphertext: string;
  readonly tag: string;
}

const randomBase64 = (length: number): string => Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(length))).toString('base64');

export const FALLBACK_SUBJECT_ID = '5b0e6d1c-7f3a-4c2e-9d8b-1a2b3c4d5e6f';

export function sealedEnvelope(plaintext: unknown, subjectId: string = FALLBACK_SUBJECT_ID): SealedPersonalData {
  const length = Math.max(1, JSON.stringify(plaintext).length);
  return {
    alg: 'A256GCM',
    subjectId,
    keyId: globalThis.crypto.randomUUID(),
    iv: randomBase64(12),
    ciphertext: randomBase64(length),
    tag: randomBase64(16),
  };
}

export interface AnyEvent {
  readonly type: string;
  readonly data: object;
}

/** The event's data as the write side stores it: a non-null `personal` replaced by a sealed envelope. */
export function storedData(event: AnyEvent): Record<string, unknown> {
  const data = { ...(event.data as Record<string, unknown>) };
  if ('personal' in data && data['personal'] !== null) {
    const subjectId = typeof data['subjectId'] === 'string' ? data['subjectId'] : FALLBACK_SUBJECT_ID;
    data['personal'] = sealedEnvelope(data['personal'], subjectId);
  }
  return data;
}

/** Validation errors of stored data against the schema of `type`, or null when it conforms. */
export function contractErrors(type: string, data: unknown): string | null {
  const validate = loadEventContracts().validators.get(type);
  if (!validate) return `no schema for event type ${type}`;
  if (validate(data)) return null;
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`).join('; ');
}

/** Throws when the stored form of an emitted event does not match its contract. */
export function assertMatchesContract(event: AnyEvent): void {
  const errors = contractErrors(event.type, storedData(event));
  if (errors) throw new Error(`${event.type} does not match schema/events/${event.type}.v1.schema.json: ${errors}\n${JSON.stringify(event.data, null, 2)}`);
}
