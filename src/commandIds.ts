// Every command id, one constant each; the same ids are declared in package.json.
export const Commands = {
  newCollection: 'hammock.newCollection',
  newFolder: 'hammock.newFolder',
  newRequest: 'hammock.newRequest',
  rename: 'hammock.rename',
  duplicate: 'hammock.duplicate',
  delete: 'hammock.delete',
  newEnvironment: 'hammock.newEnvironment',
  newSubEnvironment: 'hammock.newSubEnvironment',
  setActiveEnvironment: 'hammock.setActiveEnvironment',
  revealInFile: 'hammock.revealInFile',
  openSpec: 'hammock.openSpec',
  refresh: 'hammock.refresh',
  cloneRepository: 'hammock.cloneRepository',
  openRequest: 'hammock.openRequest',
  sendRequest: 'hammock.sendRequest',
  copyAsCurl: 'hammock.copyAsCurl',
  import: 'hammock.import',
  exportCollection: 'hammock.exportCollection',
  convertToV5: 'hammock.convertToV5',
  convertToLegacy: 'hammock.convertToLegacy',
  editEnvironment: 'hammock.editEnvironment',
  manageEnvironments: 'hammock.manageEnvironments',
  editFolderEnvironment: 'hammock.editFolderEnvironment',
  selectEnvironment: 'hammock.selectEnvironment',
  openBodyInEditor: 'hammock.openBodyInEditor',
  openScriptInEditor: 'hammock.openScriptInEditor',
  deleteCollection: 'hammock.deleteCollection',
  duplicateCollection: 'hammock.duplicateCollection',
  installSecretHook: 'hammock.installSecretHook',
  scanSecrets: 'hammock.scanSecrets',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

export const Views = {
  collections: 'hammock.collections',
  environments: 'hammock.environments',
} as const;

/** The git commands (Source Control view, status bar, palette). */
export const GitCommands = {
  setUpSync: 'hammock.setUpSync',
  cloneRepository: 'hammock.cloneRepository',
  commit: 'hammock.commit',
  commitAndPush: 'hammock.commitAndPush',
  createBranch: 'hammock.createBranch',
  checkoutBranch: 'hammock.checkoutBranch',
  deleteBranch: 'hammock.deleteBranch',
  fetch: 'hammock.fetch',
  pull: 'hammock.pull',
  push: 'hammock.push',
  forcePush: 'hammock.forcePush',
  pushToNewBranch: 'hammock.pushToNewBranch',
  sync: 'hammock.sync',
  showHistory: 'hammock.showHistory',
  showLog: 'hammock.showLog',
  mergeInEditor: 'hammock.mergeInEditor',
  abortMerge: 'hammock.abortMerge',
  showConflicts: 'hammock.showConflicts',
  refreshStatus: 'hammock.refreshStatus',
  stage: 'hammock.stage',
  stageAll: 'hammock.stageAll',
  unstage: 'hammock.unstage',
  unstageAll: 'hammock.unstageAll',
  discardChanges: 'hammock.discardChanges',
  discardAllChanges: 'hammock.discardAllChanges',
  openChange: 'hammock.openChange',
  openFile: 'hammock.openFile',
  enterToken: 'hammock.enterToken',
} as const;

export type GitCommandId = (typeof GitCommands)[keyof typeof GitCommands];

/** The History view (commits that touched collections, the incoming preview). */
export const HistoryCommands = {
  previewIncoming: 'hammock.previewIncoming',
  refreshHistory: 'hammock.refreshHistory',
  loadMoreHistory: 'hammock.loadMoreHistory',
  openHistoryChange: 'hammock.openHistoryChange',
} as const;

export const HistoryViews = {
  history: 'hammock.history',
} as const;

/** Review Branch: a remote branch's changes against its base, in the Review view. */
export const ReviewCommands = {
  reviewBranch: 'hammock.reviewBranch',
  refreshReview: 'hammock.refreshReview',
  closeReview: 'hammock.closeReview',
  openReviewChange: 'hammock.openReviewChange',
  tryReviewRequest: 'hammock.tryReviewRequest',
} as const;

export const ReviewViews = {
  review: 'hammock.review',
} as const;

/** A tree row's command's last argument: what it opens is shown, and the keyboard stays in the tree (the Explorer's click). */
export const KEEP_FOCUS = { preserveFocus: true } as const;
