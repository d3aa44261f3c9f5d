// The ignore rules moved to plumbing/ignoreRules.ts (git's precedence, case-sensitive, core.excludesFile).
export { IgnoreRules } from './plumbing/ignoreRules';
