import { loadConfig, port } from '@koppelstuk/service-kit';

export const loadOutcomesConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig({ PORT: port(4004) }, env);
export type OutcomesConfig = ReturnType<typeof loadOutcomesConfig>;
