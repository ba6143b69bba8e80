/**
 * Home-data import: the pipeline anyone can call with a database connection (the bench does), and the
 * app's service that runs it off the main thread.
 */
export {
  DEFAULT_HOME_IMPORT_MAX_BYTES,
  HomeImportCancelled,
  importHomeFile,
  previewHomeFile,
  stageHomeFile,
  type HomeFileJob,
  type ImportHomeFileOptions,
  type StagedHomeFile,
} from './pipeline';
