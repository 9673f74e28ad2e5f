export * from './projection';
export { projectionsMigration, ProjectionCheckpoints1767225600000 } from './checkpoints/checkpoints-migration';
export { readCheckpoint, type Checkpoint } from './checkpoints/checkpoint-store';
export { ProjectionRunner } from './runner/projection-runner';
export type { ProjectionRunnerOptions, RunnerHooks } from './runner/runner-options';
export { createScratchTables, dropScratchSchema } from './rebuild/scratch-schema';
