import { loadConfig, port } from '@koppelstuk/service-kit';

export const loadDirectoryConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig({ PORT: port(4002) }, env);
export type DirectoryConfig = ReturnType<typeof loadDirectoryConfig>;
