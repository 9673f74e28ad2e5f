import { inboxProjection } from './inbox.projection';
import { InboxTables1764000000200 } from './inbox-tables';

/** Entry points for libs/projections' crash-test child process (it loads modules by path and export name). */
export const createInboxProjection = () => inboxProjection;
export const inboxMigrations = [InboxTables1764000000200];
