// What a masked secret reads as, everywhere Hammock masks one: a leaf of its own, so that each bundle takes it alone.
/** the mask (six bullets): the request editor's previews, the response history's files, the scan's previews. */
export const SECRET_MASK = '••••••';
