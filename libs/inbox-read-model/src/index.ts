export * from './inbox-row';
export * from './inbox-tables';
export * from './inbox.projection';
