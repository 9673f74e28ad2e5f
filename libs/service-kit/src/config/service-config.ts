import { z } from 'zod';

/**
 * Configuration every service reads from its environment, validated at start. A bad value stops the
 * service with a message naming the variable, before anything connects anywhere.
 */
export const baseConfigSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection string')
      .optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(5),
    EVENT_STORE: z.enum(['postgres', 'kurrentdb']).default('postgres'),
    KURRENTDB_CONNECTION_STRING: z.string().regex(/^(kurrentdb|esdb|kdb)(\+discover)?:\/\//, 'must be a kurrentdb:// or esdb:// connection string').optional(),
    KOPPELSTUK_DATA_DIR: z.string().min(1).default('.koppelstuk'),
    KOPPELSTUK_EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
    /**
     * Whether this process runs the service's projections. At scale, API replicas set it to false and a
     * separate projector Deployment (one active instance per projection, the rest warm standbys) to true.
     */
    PROJECTIONS_ENABLED: z
      .enum(['true', 'false'])
      .default('true')
      .transform((value) => value === 'true'),
  })
  .superRefine((env, ctx) => {
    if (env.EVENT_STORE === 'kurrentdb' && !env.KURRENTDB_CONNECTION_STRING) {
      ctx.addIssue({ code: 'custom', path: ['KURRENTDB_CONNECTION_STRING'], message: 'is required when EVENT_STORE=kurrentdb' });
    }
  });

export type BaseConfig = z.infer<typeof baseConfigSchema>;

export class ConfigurationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

/** Parses the environment with the base schema merged with the service's own variables. */
export function loadConfig<Extra extends z.ZodRawShape>(
  extra: Extra,
  env: NodeJS.ProcessEnv = process.env,
): BaseConfig & z.infer<z.ZodObject<Extra>> {
  const base = baseConfigSchema.safeParse(env);
  const own = z.object(extra).safeParse(env);
  const problems = [
    ...(base.success ? [] : base.error.issues),
    ...(own.success ? [] : own.error.issues),
  ].map((issue) => `${issue.path.join('.') || '(environment)'} ${issue.message}`);
  if (problems.length > 0 || !base.success || !own.success) throw new ConfigurationError(problems);
  return { ...base.data, ...own.data } as BaseConfig & z.infer<z.ZodObject<Extra>>;
}

/** A port variable with a default, e.g. `PORT: port(4001)`. */
export const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
