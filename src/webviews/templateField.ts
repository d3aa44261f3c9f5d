// Templates where they are typed: the parts of a field's text that are Insomnia templates (`{{ _.base_url }}`,
// `{% uuid 'v4' %}`), the variable a completion at the caret would complete, the text after choosing one, and the
// variables a text uses that no environment defines. Shared by the request editor's page (ui/templateInput.ts) and
// the tests; no DOM and no 'vscode' here.

export interface TemplateSegment {
  readonly kind: 'text' | 'variable' | 'tag' | 'comment';
  readonly start: number;
  readonly end: number;
  /** a variable's name as a render context looks it up: `base_url`, `vault.token` (no `_.`). */
  readonly name?: string;
  /** a tag's name (`uuid`). */
  readonly tag?: string;
}

const PART = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\{#[\s\S]*?#\}/g;
/** `{{ name }}`, `{{ _.name }}`, `{{ _.a.b }}`, `{{ _['a-b'] }}`, `{{ vault.name }}` (a filter after `|` is allowed). */
const VARIABLE = /^\{\{\s*(?:_\s*(?:\.\s*([A-Za-z_$][\w$]*)|\[\s*(['"])(.*?)\2\s*\])|([A-Za-z_$][\w$]*))((?:\s*\.\s*[A-Za-z_$][\w$]*|\s*\[[^\]]*\])*)\s*(?:\|[^}]*)?\}\}$/;

/** The template parts of a text and the plain text between them, in order. */
export function templateSegments(text: string): TemplateSegment[] {
  const out: TemplateSegment[] = [];
  let pos = 0;
  PART.lastIndex = 0;
  for (let m = PART.exec(text); m; m = PART.exec(text)) {
    if (m.index > pos) out.push({ kind: 'text', start: pos, end: m.index });
    const end = m.index + m[0].length;
    if (m[0].startsWith('{{')) {
      const v = VARIABLE.exec(m[0]);
      let name: string | undefined;
      if (v) {
        const head = v[1] ?? v[3] ?? v[4];
        const rest = /^\s*\.\s*([A-Za-z_$][\w$]*)/.exec(v[5] ?? '');
        // `vault.x` names the vault entry; `_.a.b` the variable `a`
        name = head === 'vault' && !v[1] && !v[3] && rest ? `vault.${rest[1]}` : head;
      }
      out.push({ kind: 'variable', start: m.index, end, ...(name ? { name } : {}) });
    } else if (m[0].startsWith('{%')) {
      const tag = /^\{%-?\s*([A-Za-z_][\w]*)/.exec(m[0])?.[1];
      out.push({ kind: 'tag', start: m.index, end, ...(tag ? { tag } : {}) });
    } else {
      out.push({ kind: 'comment', start: m.index, end });
    }
    pos = end;
  }
  if (pos < text.length) out.push({ kind: 'text', start: pos, end: text.length });
  return out;
}

/** The variables (`base_url`, `vault.token`) a text uses that `known` does not hold, each once, in order. */
export function unknownVariables(text: string, known: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const s of templateSegments(text)) {
    if (s.kind !== 'variable' || !s.name) continue;
    if (known.has(s.name) || out.includes(s.name)) continue;
    out.push(s.name);
  }
  return out;
}

/** What a completion at the caret completes: a variable after `{{` or a tag after `{%`, and the part typed so far. */
export interface CompletionContext {
  readonly kind: 'variable' | 'tag';
  /** where the template part starts (its `{{` / `{%`). */
  readonly start: number;
  /** where the text a completion replaces ends: past a closing `}}` / `%}` right after the caret, else the caret. */
  readonly end: number;
  /** what was typed after `{{ ` / `{{ _.` / `{% `. */
  readonly prefix: string;
}

/** The completion context at `caret`, or undefined when the caret is not in an open `{{` or `{%`. */
export function completionContext(text: string, caret: number): CompletionContext | undefined {
  const before = text.slice(0, caret);
  const open = Math.max(before.lastIndexOf('{{'), before.lastIndexOf('{%'));
  if (open === -1) return undefined;
  const kind = text.startsWith('{{', open) ? 'variable' : 'tag';
  const inside = before.slice(open + 2);
  // closed before the caret: not in a template any more
  if (inside.includes(kind === 'variable' ? '}}' : '%}')) return undefined;
  const m = kind === 'variable' ? /^\s*(?:_\s*\.\s*)?([\w$.]*)$/.exec(inside) : /^-?\s*(\w*)$/.exec(inside);
  if (!m) return undefined;
  const after = text.slice(caret);
  const close = (kind === 'variable' ? /^[\w$.]*\s*\}\}/ : /^\w*[^%]*?%\}/).exec(after);
  const end = kind === 'variable' ? (close ? caret + close[0].length : caret + (/^[\w$.]*/.exec(after)?.[0].length ?? 0)) : caret + (/^\w*/.exec(after)?.[0].length ?? 0);
  return { kind, start: open, end, prefix: m[1] };
}

export interface CompletionItem {
  /** what is shown and matched: `base_url`, `vault.token`, `uuid`. */
  readonly label: string;
  /** where it comes from (`Base Environment`, `Prod`, `folder Users`, `vault`) or what a tag does. */
  readonly detail: string;
  /** the text inserted for the whole template part. */
  readonly insert: string;
  /** a preview of the value (masked for private environments and the vault). */
  readonly preview?: string;
}

/** The items that match a context's prefix: those that start with it first, then those that contain it. */
export function matchCompletions(items: readonly CompletionItem[], ctx: CompletionContext, limit = 50): CompletionItem[] {
  const p = ctx.prefix.toLowerCase();
  const starts = items.filter((i) => i.label.toLowerCase().startsWith(p));
  const contains = p ? items.filter((i) => !i.label.toLowerCase().startsWith(p) && i.label.toLowerCase().includes(p)) : [];
  return [...starts, ...contains].slice(0, limit);
}

/** The text and caret after choosing `item` in `ctx`. */
export function applyCompletion(text: string, ctx: CompletionContext, item: CompletionItem): { text: string; caret: number } {
  let end = ctx.end;
  if (ctx.kind === 'tag') {
    // a tag replaces its whole `{% ... %}` when it is closed
    const close = text.indexOf('%}', ctx.start);
    const nextOpen = text.indexOf('{', ctx.start + 2);
    if (close !== -1 && (nextOpen === -1 || close < nextOpen)) end = close + 2;
  }
  const next = text.slice(0, ctx.start) + item.insert + text.slice(end);
  return { text: next, caret: ctx.start + item.insert.length };
}

/** The variable insert Insomnia's UI makes: `{{ _.name }}` (`{{ _['a-b'] }}` for a name that is no identifier). */
export function variableInsert(name: string): string {
  if (name.startsWith('vault.')) return `{{ ${name} }}`;
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `{{ _.${name} }}` : `{{ _['${name.replace(/'/g, "\\'")}'] }}`;
}

/** The built-in tags Hammock renders, as completions (Insomnia's own tag syntax and arguments). */
export const TAG_COMPLETIONS: readonly CompletionItem[] = [
  { label: 'uuid', detail: 'a random UUID (v4)', insert: "{% uuid 'v4' %}" },
  { label: 'now', detail: 'the current time (ISO-8601)', insert: "{% now 'iso-8601', '' %}" },
  { label: 'base64', detail: 'Base64 encode a value', insert: "{% base64 'encode', 'normal', '' %}" },
  { label: 'hash', detail: 'a hash of a value (sha256, hex)', insert: "{% hash 'sha256', 'hex', '' %}" },
  { label: 'prompt', detail: 'ask for a value when sending', insert: "{% prompt 'Title', 'Label', '', '', false, true %}" },
  { label: 'response', detail: "a value from another request's response", insert: "{% response 'body', '', '', 'never', 60 %}" },
];
