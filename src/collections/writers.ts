// The entry of dist/writers.js: everything that writes Insomnia YAML or another format, bundled on its own and loaded
// the first time it is needed (through `writers()`, lazyWriters.ts), so that activation loads none of it: the
// minimal-diff edit planner, the field-level merge, and the importers, exporters and format conversion of convert/.
// Together with the `yaml` package they use, that is about a third of what the extension bundle would otherwise be.
// Add here what a lazy user needs; import the modules themselves only for their types.
export { MAX_V5_BASE_NAME, PlanError, planEdit, planNewCollection, safeFileName } from './editPlanner';
export { mergeCollectionText } from './merge3';
export { describeUnresolved, unresolvedConflicts } from './unresolvedConflicts';
export { ConvertError, collectionFiles, convertLegacyToV5, convertV5ToLegacy, duplicateCollection, readCollectionDocs, v5TextFromFiles } from './convert/convertFormat';
export { looksLikeName, urlName } from './convert/importCurl';
export { curlPasteFields } from './convert/curlPaste';
export { exportPostman } from './convert/exportPostman';
export { exportInsomniaV4FromDocs } from './convert/exportV4';
export { importText } from './convert/importText';
export { ImportError } from './convert/importTypes';
export { renderDocument, schemaVersionForNewFile, specMappingText } from './convert/insomniaDocs';
export { planImportDetailed } from './convert/planImport';
export { replacedIdLine } from './convert/renameIds';
export { onlyStampsDiffer, restoreItemStamps } from './stampRestore';
export { PlanWorker } from './planOffThread';
export { collectionToV5Object } from './convert/v5Writer';
export { describeFinding, newFindings, scanCollection, scanEnvironment, scanFileTextSliced } from './secrets/secretScan';
export { collectionOfFinding, moveSecrets, replacementEdit, variableNameFor } from './secrets/moveSecrets';
export { conflictingFields, mergeValue, mergeVariables, mergeWithDisk } from './edit/editConflict';
