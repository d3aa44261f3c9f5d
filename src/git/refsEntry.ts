// The ref readers: a bundle of their own, dist/refs.js, that the extension requires on first use (lazyRefs.ts): the
// History view's commits and their changes, the incoming preview's diff, the Review view and its revision documents,
// the walks behind Delete Branch's question (branchReach.ts).
// Only what the extension calls is exported; the CLI imports the modules themselves.
export { breakingChanges } from '../collections/breaking';
export { branchReach } from './branchReach';
export { collectionHistory } from './collectionHistory';
export { loadItemAtRef } from './itemAtRef';
export { diffRefs } from './refDiff';
export { loadWorkspaceAtRef, resolveCommit } from './snapshotAtRef';
