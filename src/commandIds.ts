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
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

export const Views = {
  collections: 'hammock.collections',
  environments: 'hammock.environments',
} as const;
