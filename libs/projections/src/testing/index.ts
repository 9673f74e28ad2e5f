/** Test support: the crash-safety harness every projection runs on itself. Not part of the runtime entry. */
export {
  runCrashTest,
  tableDigests,
  type CrashRun,
  type CrashTestOptions,
  type CrashTestReport,
  type ModuleExport,
  type TableDigests,
} from './crash-harness';
