// The environment table's Type list (pure: the page and the tests use it): what a variable's text becomes when its
// type is switched.
import type { VariableValue } from './protocol';

export type VarType = 'string' | 'number' | 'boolean' | 'json';

/** The text a variable whose value is `value` shows once switched to `next`. */
export function retypedText(value: VariableValue, next: VarType): string {
  if (next === 'string') return typeof value === 'string' ? value : JSON.stringify(value);
  if (next === 'boolean') return value === true || value === 'true' ? 'true' : 'false';
  if (next === 'number') return String(Number(value) || 0);
  // text that is JSON already (an object typed as Text) is that JSON, as it reads, not a JSON string of it
  if (typeof value === 'string' && value.trim() !== '') {
    try {
      JSON.parse(value);
      return value;
    } catch {
      // not JSON: a JSON string of it
    }
  }
  return JSON.stringify(value);
}
