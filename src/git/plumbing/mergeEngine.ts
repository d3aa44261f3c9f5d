// The entry of dist/gitMerge.js: git's merge as Hammock does it (line merge, rename detection, merge bases, the
// merge of trees and commits), pure code bundled on its own and loaded on the first merge, preview of a pull or
// Merge in Editor (through `mergeEngine()`, src/git/lazyMerge.ts), so that activation does not load it. Import the
// modules themselves only for their types.
export { mergeLines } from './lineMerge';
export { diffObjectTrees, mergeCommits } from './treeMerge';
export { CommitGraph, mergeBases } from './mergeBases';
