import type { SqlExecutor } from './sql';

/** Why decrypted personal data was read (verwerkingenlogging: every processing has a stated purpose). */
export type AccessPurpose = 'inbox' | 'referral_detail' | 'city_tracker' | 'history' | 'forwarding' | 'subject_export';

export interface PersonalDataAccess {
  readonly userId: string;
  readonly organisationId: string;
  readonly roles: readonly string[];
  readonly subjectId: string;
  readonly referralId: string | null;
  readonly fields: readonly string[];
  readonly purpose: AccessPurpose;
  readonly service: string;
  readonly correlationId: string | null;
}

export interface AccessLogEntry extends PersonalDataAccess {
  readonly id: string;
  readonly accessedAt: Date;
}

/**
 * The record of every read of decrypted personal data: who, whose data, which fields, when, what for
 * (after the Dutch "verwerkingenlogging" standard). Insert-only; one statement per request.
 */
export class AccessLog {
  constructor(private readonly sql: SqlExecutor) {}

  async record(accesses: readonly PersonalDataAccess[]): Promise<void> {
    if (accesses.length === 0) return;
    const columns = ['user_id', 'organisation_id', 'roles', 'subject_id', 'referral_id', 'fields', 'purpose', 'service', 'correlation_id'];
    const params: unknown[] = [];
    const rows = accesses.map((a) => {
      const values = [a.userId, a.organisationId, [...a.roles], a.subjectId, a.referralId, [...a.fields], a.purpose, a.service, a.correlationId];
      return `(${values.map((value) => `$${params.push(value)}`).join(', ')})`;
    });
    await this.sql.query(`insert into personal_data.access_log (${columns.join(', ')}) values ${rows.join(', ')}`, params);
  }

  async forSubject(subjectId: string, options: { limit?: number; before?: string } = {}): Promise<AccessLogEntry[]> {
    const rows = await this.sql.query<Record<string, unknown>>(
      `select id, accessed_at, user_id, organisation_id, roles, subject_id, referral_id, fields, purpose, service, correlation_id
         from personal_data.access_log
        where subject_id = $1 and ($2::bigint is null or id < $2::bigint)
        order by id desc limit $3`,
      [subjectId, options.before ?? null, options.limit ?? 1000],
    );
    return rows.map((row) => ({
      id: String(row['id']),
      accessedAt: row['accessed_at'] as Date,
      userId: row['user_id'] as string,
      organisationId: row['organisation_id'] as string,
      roles: row['roles'] as string[],
      subjectId: row['subject_id'] as string,
      referralId: (row['referral_id'] as string | null) ?? null,
      fields: row['fields'] as string[],
      purpose: row['purpose'] as AccessPurpose,
      service: row['service'] as string,
      correlationId: (row['correlation_id'] as string | null) ?? null,
    }));
  }
}

/**
 * Collects the accesses of one moment (e.g. all referrals on an inbox page) into one insert. Every
 * caller waits until its entry is written: personal data is only returned once its read is on record.
 */
export class AccessRecorder {
  private pending: { entry: PersonalDataAccess; done: (error?: unknown) => void }[] = [];
  private scheduled = false;

  constructor(private readonly log: AccessLog) {}

  record(entry: PersonalDataAccess): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ entry, done: (error) => (error ? reject(error) : resolve()) });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.scheduled = false;
    try {
      await this.log.record(batch.map((item) => item.entry));
      for (const item of batch) item.done();
    } catch (error) {
      for (const item of batch) item.done(error);
    }
  }
}
