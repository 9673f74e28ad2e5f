export * from './outcome-tables';
export * from './outcomes.projection';
export * from './statistics-query';
