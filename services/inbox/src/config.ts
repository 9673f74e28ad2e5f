import { loadConfig, port } from '@koppelstuk/service-kit';

export const loadInboxConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig({ PORT: port(4003) }, env);
export type InboxConfig = ReturnType<typeof loadInboxConfig>;
