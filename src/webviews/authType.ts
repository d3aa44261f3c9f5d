// Switching a request's authentication type in the request editor (pure: the page and the tests use it). As in
// Insomnia (newAuth), the new type keeps what it shares with the old one (Basic to Digest keeps the username and the
// password; Enabled stays as it was) and drops the rest; a switch that would drop something the user wrote is asked
// about first (Insomnia: "Switch Authentication? Current authentication settings will be lost").
import type { Authentication } from '../collections/model';

/**
 * The authentication `auth` becomes as type `type` ('none': no auth), keeping the fields named in `fields` (the new
 * type's), and the labels of the fields the switch drops that hold something other than what a new auth of the old
 * type starts with (`labels` names them, `defaults` is that start).
 */
export function switchAuthType(auth: Authentication, type: string, fields: readonly string[], options: { labels?: Readonly<Record<string, string>>; defaults?: Readonly<Record<string, unknown>> } = {}): { auth: Authentication; drops: string[] } {
  if (type === (auth.type ?? 'none')) return { auth, drops: [] };
  const next: Authentication = type === 'none' ? {} : { type, ...(auth.disabled === true ? { disabled: true } : {}) };
  if (type !== 'none') for (const key of fields) if (auth[key] !== undefined) next[key] = auth[key];
  const drops = Object.entries(auth)
    .filter(([key, value]) => key !== 'type' && key !== 'disabled' && next[key] === undefined && holds(value) && options.defaults?.[key] !== value)
    .map(([key]) => options.labels?.[key] ?? key);
  return { auth: next, drops };
}

/** Whether a field's value is something the user wrote (a non-empty text, a true box, a number, an object). */
function holds(value: unknown): boolean {
  if (typeof value === 'string') return value.trim() !== '';
  if (typeof value === 'boolean') return value;
  return value !== undefined && value !== null;
}
