// Postman scripts as Insomnia scripts: the translation Insomnia's own Postman importer applies (Kong/insomnia
// `translate-postman-script.ts`, behaviour only), and what the translated text still uses that Insomnia's (and
// Hammock's) `insomnia.*` API does not have, so the import can say "kept, may not run" instead of failing silently.
//
// 1. Postman's legacy sandbox globals become `pm.*` first:
//      tests['name'] = expr;            -> pm.test('name', () => { pm.expect(expr).to.be.true; });
//      environment.foo / globals.foo    -> pm.environment.get('foo') / pm.globals.get('foo')   (also ['foo'])
//      environment.foo = v;             -> pm.environment.set('foo', v);                         (also ['foo'])
//      responseBody, responseTime       -> pm.response.text(), pm.response.responseTime
//      responseCode.code                -> pm.response.code
//      responseHeaders.h / ['h']        -> pm.response.headers.get('h')
//      postman.get/set/clearEnvironmentVariable, postman.get/set/clearGlobalVariable -> pm.environment / pm.globals
//      postman.setNextRequest           -> pm.execution.setNextRequest
//      postman.getResponseCookie(n).value -> pm.cookies.get(n);  postman.getResponseHeader(n) -> pm.response.headers.get(n)
// 2. then `pm.` becomes `insomnia.`.
// A name is translated only where it is not part of another identifier or a string: never after a letter, digit,
// `_`, `$`, `.`, `-`, `"` or `'` (`ipm.x`, `_pm.x`, `$pm.x`, `a.pm.x`, `'pm.x'` stay). Like Insomnia's, this is a text
// translation, not a parse: a name inside a longer string or a comment is translated too.
// Beyond Insomnia's rules (which need a `;` and a bracketed name): `tests.name = expr` is translated as well, and an
// assignment may end at the end of its line or block; an assignment's right side is read to its end with strings
// and brackets skipped, so `;` or `]` inside a string does not cut it.
// Pure: no I/O.

/** Something a translated script still uses that Insomnia's script API has not: kept as written, may not run. */
export interface MayNotRun {
  /** the construct in Postman's terms: `pm.visualizer`, `postman.getResponseCookie`, `CryptoJS`. */
  readonly construct: string;
  /** why, for a person. */
  readonly why: string;
}

export interface TranslatedScript {
  readonly code: string;
  /** what it uses that Insomnia's `insomnia.*` has not, each construct once, in the order first met. */
  readonly mayNotRun: MayNotRun[];
}

/** `insomnia.*` members a script has in Hammock's sandbox (src/http/scripts/sandbox/runtime.ts), as in Insomnia's. */
export const INSOMNIA_SCRIPT_MEMBERS: readonly string[] = [
  'environment',
  'baseEnvironment',
  'collectionVariables',
  'globals',
  'iterationData',
  'variables',
  'request',
  'response',
  'info',
  'execution',
  'test',
  'expect',
  'sendRequest',
];

const MEMBER_WHY: Readonly<Record<string, string>> = {
  visualizer: "Insomnia's script API has no visualizer (Postman draws pm.visualizer templates in its own UI)",
  cookies: "Insomnia's script API as Hammock runs it has no cookie jar (insomnia.cookies)",
  require: 'pm.require loads scripts from Postman package libraries, which Insomnia has not',
  vault: "Insomnia's script API has no vault (Insomnia reads vault secrets through templates)",
};

/** What `insomnia.response.to.have` (and `.to.not.have`) can check. */
const RESPONSE_ASSERTIONS: readonly string[] = ['status', 'header', 'body', 'jsonBody', 'jsonSchema'];
const RESPONSE_TO_WHY = "Insomnia's insomnia.response.to has only have.status, have.header, have.body, have.jsonBody and have.jsonSchema (and not.have...)";

/** Postman sandbox globals with no Insomnia counterpart, unless the script defines them itself. */
const POSTMAN_GLOBALS: Readonly<Record<string, string>> = {
  CryptoJS: "Postman's sandbox gives CryptoJS as a global; Insomnia's needs `const CryptoJS = require('crypto-js');`",
  tv4: "Postman's sandbox gives tv4 as a global; Insomnia's needs `const tv4 = require('tv4');`",
  cheerio: "Postman's sandbox gives cheerio as a global; Insomnia's needs `const cheerio = require('cheerio');`",
  xml2Json: "Postman's xml2Json global has no Insomnia counterpart (require('xml2js') parses XML)",
  responseCookies: "Postman's legacy responseCookies global has no Insomnia counterpart",
};

/** Not after an identifier character, `.`, `-` or a quote: the name is not part of another name or a string. */
const FREE = String.raw`(?<![\w$.\-"'])`;
const IDENT = String.raw`[A-Za-z_$][\w$]*`;

/**
 * How many characters the bracket and statement reading may look at, over the whole translation of one script: a
 * real script's reads add up to about its length; a hostile one (thousands of unclosed `environment[`) would read
 * to its end from each of them. Past the budget the script is kept as written (only `pm.` renamed) and says so.
 */
const READ_BUDGET_PER_CHAR = 4;
const READ_BUDGET_MIN = 50_000;
let readBudget = Infinity;

class ReadBudgetSpent extends Error {}

const UNREAD: MayNotRun = {
  construct: 'the whole script',
  why: "its brackets could not be read within the translation's limits (unclosed brackets?): kept as written, only pm. renamed to insomnia.",
};

export function translatePostmanScript(source: string): TranslatedScript {
  readBudget = READ_BUDGET_MIN + READ_BUDGET_PER_CHAR * source.length;
  try {
    return translate(source);
  } catch (err) {
    if (!(err instanceof ReadBudgetSpent)) throw err;
    const code = source.replace(new RegExp(`${FREE}\\bpm\\.`, 'g'), 'insomnia.');
    return { code, mayNotRun: [UNREAD, ...mayNotRun(code)] };
  } finally {
    readBudget = Infinity;
  }
}

function translate(source: string): TranslatedScript {
  let code = source;
  code = translateAssignments(code, 'tests', (name, value) => `pm.test(${name}, () => { pm.expect(${value}).to.be.true; });`);
  for (const scope of ['globals', 'environment'] as const) {
    code = translateAssignments(code, scope, (name, value) => `pm.${scope}.set(${name}, ${value});`);
    code = code.replace(new RegExp(`${FREE}\\b${scope}\\.(${IDENT})`, 'g'), `pm.${scope}.get('$1')`);
    code = replaceBracketed(code, scope, (key) => `pm.${scope}.get(${key})`);
  }
  const notDeclared = String.raw`(?<!\b(?:var|let|const|function)\s+)`;
  code = code.replace(new RegExp(`${FREE}${notDeclared}\\bresponseTime\\b(?!\\$)`, 'g'), 'pm.response.responseTime');
  code = code.replace(new RegExp(`${FREE}\\bresponseHeaders\\.(${IDENT})`, 'g'), "pm.response.headers.get('$1')");
  code = replaceBracketed(code, 'responseHeaders', (key) => `pm.response.headers.get(${key})`);
  code = code.replace(new RegExp(`${FREE}\\bresponseCode\\.code\\b(?!\\$)`, 'g'), 'pm.response.code');
  code = code.replace(new RegExp(`${FREE}${notDeclared}\\bresponseBody\\b(?!\\$)`, 'g'), 'pm.response.text()');
  code = translatePostmanObject(code);
  code = code.replace(new RegExp(`${FREE}\\bpm\\.`, 'g'), 'insomnia.');
  return { code, mayNotRun: mayNotRun(code) };
}

// ---------------------------------------------------------------------------------------------------------------
// the rules

/** `postman.*` calls -> `pm.*`: the same arguments, so only the callee's name changes. */
function translatePostmanObject(code: string): string {
  const at = (name: string) => new RegExp(`${FREE}\\bpostman\\.${name}\\b`, 'g');
  for (const [kind, scope] of [['Environment', 'environment'], ['Global', 'globals']] as const) {
    code = code.replace(at(`get${kind}Variable`), `pm.${scope}.get`);
    code = code.replace(at(`set${kind}Variable`), `pm.${scope}.set`);
    // with no argument it clears them all
    code = code.replace(new RegExp(`${FREE}\\bpostman\\.clear${kind}Variable\\s*\\(\\s*\\)`, 'g'), `pm.${scope}.clear()`);
    code = code.replace(at(`clear${kind}Variable`), `pm.${scope}.unset`);
  }
  code = code.replace(at('setNextRequest'), 'pm.execution.setNextRequest');
  code = code.replace(at('getResponseHeader'), 'pm.response.headers.get');
  // postman.getResponseCookie(name).value -> pm.cookies.get(name)
  const cookie = new RegExp(`${FREE}\\bpostman\\.getResponseCookie\\s*(?=\\()`, 'g');
  let out = '';
  let from = 0;
  for (let m = cookie.exec(code); m; m = cookie.exec(code)) {
    const open = m.index + m[0].length;
    const close = matchingClose(code, open);
    if (close < 0) continue;
    const after = /^\s*\.\s*value\b/.exec(code.slice(close + 1));
    if (!after) continue;
    out += `${code.slice(from, m.index)}pm.cookies.get(${code.slice(open + 1, close)})`;
    from = close + 1 + after[0].length;
    cookie.lastIndex = from;
  }
  return out + code.slice(from);
}

/**
 * `name.key = value` and `name[key] = value` (not `==`) -> `make(key, value)`, the key quoted when it was a bare name.
 * The value runs to the `;` that ends the statement (consumed), or to the end of its line or block.
 */
function translateAssignments(code: string, name: string, make: (key: string, value: string) => string): string {
  const head = new RegExp(`${FREE}\\b${name}\\s*(?:\\.\\s*(${IDENT})|(?=\\[))`, 'g');
  let out = '';
  let from = 0;
  for (let m = head.exec(code); m; m = head.exec(code)) {
    let key: string;
    let i = m.index + m[0].length;
    if (m[1] !== undefined) {
      key = `'${m[1]}'`;
    } else {
      const close = matchingClose(code, i);
      if (close < 0) continue;
      key = code.slice(i + 1, close).trim();
      i = close + 1;
    }
    const eq = /^\s*=(?![=>])\s*/.exec(code.slice(i));
    if (!eq || key === '') continue;
    const start = i + eq[0].length;
    const end = statementEnd(code, start);
    const value = code.slice(start, end).trimEnd();
    if (value === '') continue;
    out += code.slice(from, m.index) + make(key, value);
    // the `;` is the statement's own; what comes before a line end, a block's end or a comment stays
    from = code[end] === ';' ? end + 1 : start + value.length;
    head.lastIndex = from;
  }
  return out + code.slice(from);
}

/** `name[key]` (what is left after the assignments) -> `make(key)`. */
function replaceBracketed(code: string, name: string, make: (key: string) => string): string {
  const head = new RegExp(`${FREE}\\b${name}\\s*(?=\\[)`, 'g');
  let out = '';
  let from = 0;
  for (let m = head.exec(code); m; m = head.exec(code)) {
    const open = m.index + m[0].length;
    const close = matchingClose(code, open);
    if (close < 0) continue;
    const key = code.slice(open + 1, close).trim();
    if (key === '') continue;
    out += code.slice(from, m.index) + make(key);
    from = close + 1;
    head.lastIndex = from;
  }
  return out + code.slice(from);
}

// ---------------------------------------------------------------------------------------------------------------
// reading JavaScript text (strings and brackets; enough for the right side of an assignment)

const OPEN: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };

/** The index just past the string literal that starts at `i` (a quote or backtick), or the text's length. */
function skipString(code: string, i: number): number {
  const quote = code[i];
  for (let j = i + 1; j < code.length; j++) {
    if (code[j] === '\\') j++;
    else if (code[j] === quote) return j + 1;
    else if (code[j] === '\n' && quote !== '`') return j;
  }
  return code.length;
}

/** The index just past the comment that starts at `i` (`//` to the line end, `/* ... *\/`). */
function skipComment(code: string, i: number): number {
  if (code[i + 1] === '/') {
    const nl = code.indexOf('\n', i);
    return nl < 0 ? code.length : nl;
  }
  const end = code.indexOf('*/', i + 2);
  return end < 0 ? code.length : end + 2;
}

/**
 * The indexes of the code characters from `i` on: strings and block comments skipped; a line comment is given by its
 * first index only (a caller may end there), then skipped.
 */
function* codeIndexes(code: string, i: number): Generator<number> {
  for (let j = i; j < code.length; ) {
    const c = code[j];
    const from = j;
    if (c === '"' || c === "'" || c === '`') {
      j = skipString(code, j);
    } else if (c === '/' && (code[j + 1] === '/' || code[j + 1] === '*')) {
      if (code[j + 1] === '/') yield j;
      j = skipComment(code, j);
    } else {
      yield j++;
    }
    readBudget -= j - from;
    if (readBudget < 0) throw new ReadBudgetSpent();
  }
}

/** The index of the bracket that closes the one at `i`, or -1. */
function matchingClose(code: string, i: number): number {
  const stack: string[] = [];
  for (const j of codeIndexes(code, i)) {
    const c = code[j];
    if (OPEN[c]) stack.push(OPEN[c]);
    else if (c === ')' || c === ']' || c === '}') {
      if (stack.pop() !== c) return -1;
      if (stack.length === 0) return j;
    }
  }
  return -1;
}

/**
 * Where the expression that starts at `i` ends: at a `;` outside brackets (its index), at a bracket that closes an
 * enclosing one, at a line comment or a line end outside brackets unless the next line goes on with an operator.
 */
function statementEnd(code: string, i: number): number {
  let depth = 0;
  for (const j of codeIndexes(code, i)) {
    const c = code[j];
    if (OPEN[c]) depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) return j;
      depth--;
    } else if (depth > 0) continue;
    else if (c === ';' || (c === '/' && code[j + 1] === '/')) return j;
    else if (c === '\n' && code.slice(i, j).trim() !== '' && !/^\s*(?:[.?:+\-*%&|^,=<>]|\/(?![/*])|instanceof\b|in\b)/.test(code.slice(j + 1))) return j;
  }
  return code.length;
}

// ---------------------------------------------------------------------------------------------------------------
// what may not run

function mayNotRun(code: string): MayNotRun[] {
  const found = new Map<string, string>();
  const add = (construct: string, why: string) => {
    if (!found.has(construct)) found.set(construct, why);
  };
  for (const m of code.matchAll(new RegExp(`${FREE}\\binsomnia\\s*\\.\\s*(${IDENT})`, 'g'))) {
    const member = m[1];
    if (INSOMNIA_SCRIPT_MEMBERS.includes(member)) continue;
    add(`pm.${member}`, MEMBER_WHY[member] ?? `Insomnia's script API has no insomnia.${member}`);
  }
  // Postman's response assertions (`pm.response.to.be.ok`, `.to.have.jsonBody`...): Insomnia's `to` has a few of them
  for (const m of code.matchAll(new RegExp(`${FREE}\\binsomnia\\.response\\.to((?:\\s*\\.\\s*${IDENT})+)`, 'g'))) {
    const chain = m[1].split('.').map((p) => p.trim()).filter(Boolean);
    const rest = chain[0] === 'not' ? chain.slice(1) : chain;
    if (rest[0] === 'have' && RESPONSE_ASSERTIONS.includes(rest[1])) continue;
    add(`pm.response.to.${chain.slice(0, chain.length - rest.length + 2).join('.')}`, RESPONSE_TO_WHY);
  }
  for (const m of code.matchAll(new RegExp(`${FREE}\\bpostman\\s*\\.\\s*(${IDENT})`, 'g'))) {
    add(`postman.${m[1]}`, `Postman's legacy postman.${m[1]} has no Insomnia counterpart`);
  }
  if (new RegExp(`${FREE}\\btests\\s*[.[]`).test(code)) {
    add('tests[...]', "Insomnia has no `tests` object: only `tests['name'] = value;` assignments are translated (to insomnia.test)");
  }
  for (const [name, why] of Object.entries(POSTMAN_GLOBALS)) {
    if (!new RegExp(`${FREE}\\b${name}\\b(?![\\w$])`).test(code)) continue;
    if (new RegExp(String.raw`\b(?:var|let|const|function)\s+${name}\b|[{,]\s*${name}\s*[,}]`).test(code)) continue;
    add(name, why);
  }
  return [...found].map(([construct, why]) => ({ construct, why }));
}
