// What looks like a secret in one string value, given where it sits. Pure (no 'vscode', no I/O), shared by the
// commit check, the import, `hammock check --secrets` and the git pre-commit hook (see secretScan.ts).
//
// Three rules, from sure to likely:
// 1. Known token shapes anywhere: GitHub (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`), GitLab (`glpat-`),
//    Slack (`xox[abposr]-`, webhook URLs), AWS access key ids (`AKIA`, `ASIA`), Stripe live keys (`sk_live_`,
//    `rk_live_`), Google API keys (`AIza`), `sk-` API keys (OpenAI, Anthropic), npm (`npm_`), SendGrid (`SG.`),
//    Twilio (`SK` + 32 hex), private key blocks, and signed JWTs.
// 2. A literal credential where credentials go: an Authorization header, an auth field that holds a secret (token,
//    password, client secret, ...), a header, parameter or variable named like one (`api_key`, `X-Auth-Token`,
//    `password`), unless it is a placeholder (`<token>`, `changeme`, `test_token`, the variable's own name).
// 3. A long high-entropy string where values go (headers, parameters, variables, auth fields, URLs): 20 or more
//    base64-ish characters of two classes or more with Shannon entropy near random's (4 bits from 26 characters on,
//    0.85 log2(n) below); not a UUID, not hex alone
//    (hashes, ETags and commit ids are hex; a hex key in a credential position is caught by rule 2).
// Template parts (`{{ _.token }}`, `{% vault %}`) are never secrets: they are what a secret should become.
import { SECRET_MASK } from './mask';

export type SecretKind =
  | 'github-token'
  | 'gitlab-token'
  | 'slack-token'
  | 'slack-webhook'
  | 'aws-access-key'
  | 'stripe-live-key'
  | 'google-api-key'
  | 'api-key'
  | 'npm-token'
  | 'sendgrid-key'
  | 'twilio-key'
  | 'private-key'
  | 'jwt'
  | 'credential'
  | 'high-entropy';

export const SECRET_KIND_LABELS: Readonly<Record<SecretKind, string>> = {
  'github-token': 'GitHub token',
  'gitlab-token': 'GitLab token',
  'slack-token': 'Slack token',
  'slack-webhook': 'Slack webhook URL',
  'aws-access-key': 'AWS access key id',
  'stripe-live-key': 'Stripe live key',
  'google-api-key': 'Google API key',
  'api-key': 'API key (sk-)',
  'npm-token': 'npm token',
  'sendgrid-key': 'SendGrid key',
  'twilio-key': 'Twilio API key',
  'private-key': 'private key',
  jwt: 'JWT',
  credential: 'literal credential',
  'high-entropy': 'high-entropy string',
};

/** Where a value sits, which decides the rules that apply to it. */
export interface ValueContext {
  readonly where: 'auth' | 'header' | 'parameter' | 'url' | 'body' | 'variable' | 'script';
  /** the header, parameter or variable name, or the auth field's key. */
  readonly name?: string;
  /** the auth type (`bearer`, `basic`, `apikey`, ...) for an auth field. */
  readonly authType?: string;
}

/** One secret in a value: its kind and where it is in the value (the part a variable should replace). */
export interface SecretMatch {
  readonly kind: SecretKind;
  readonly start: number;
  readonly end: number;
}

const KNOWN: readonly { kind: SecretKind; re: RegExp }[] = [
  { kind: 'github-token', re: /\bgh[pousr]_[A-Za-z0-9]{36,255}\b/g },
  { kind: 'github-token', re: /\bgithub_pat_[A-Za-z0-9_]{22,255}\b/g },
  { kind: 'gitlab-token', re: /\bglpat-[A-Za-z0-9_-]{20,}\b/g },
  { kind: 'slack-token', re: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g },
  { kind: 'slack-webhook', re: /https:\/\/hooks\.slack\.com\/services\/T[A-Za-z0-9_]+\/B[A-Za-z0-9_]+\/[A-Za-z0-9_]{16,}/g },
  { kind: 'aws-access-key', re: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g },
  { kind: 'stripe-live-key', re: /\b[rs]k_live_[A-Za-z0-9]{16,}\b/g },
  { kind: 'google-api-key', re: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { kind: 'api-key', re: /\bsk-(?:proj-|svcacct-|admin-|ant-[a-z0-9]+-)?[A-Za-z0-9_-]{32,}\b/g },
  { kind: 'npm-token', re: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { kind: 'sendgrid-key', re: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/g },
  { kind: 'twilio-key', re: /\bSK[0-9a-fA-F]{32}\b/g },
  { kind: 'private-key', re: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY(?: BLOCK)?-----|$)/g },
  { kind: 'jwt', re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/g },
];

/** Auth fields that hold a secret (Insomnia's auth union: bearer, basic, digest, ntlm, apikey, oauth1/2, hawk, iam, asap). */
const SECRET_AUTH_FIELDS = new Set([
  'token', 'password', 'clientSecret', 'accessToken', 'refreshToken', 'secretAccessKey', 'sessionToken',
  'consumerSecret', 'tokenSecret', 'privateKey', 'key', 'value', 'code',
]);

/** Names of headers, parameters and variables that hold credentials. */
const SECRET_NAME = /(?:^|[^a-z])(?:authorization|auth[-_]?token|token|secret|passw(?:or)?d|passwd|pwd|api[-_]?key|apikey|access[-_]?key|private[-_]?key|client[-_]?secret|session|cookie|credential|signature|bearer)(?:$|[^a-z])|token$|secret$|password$|apikey$|^x-api-key$/i;

/** Header names whose value is an opaque token by nature. */
const AUTH_HEADERS = /^(?:authorization|proxy-authorization|x-api-key|api-key|apikey|x-auth-token|x-access-token|x-amz-security-token|cookie|x-csrf-token)$/i;

const SCHEME_WORDS = /^(?:bearer|basic|token|digest|apikey|api-key|key|jwt|hmac|otp|sso-key)\s+/i;

/** Literal values that stand for a secret rather than being one. */
const PLACEHOLDER = /^(?:x+|\*+|•+|\.+|-+|_+|0+|#+|\?+|null|none|nil|undefined|empty|true|false|changeme|change[-_ ]?me|password|passwd|pass|secret|token|api[-_ ]?key|apikey|key|value|string|text|example|sample|dummy|fake|foo|bar|baz|qux|todo|tbd|redacted|masked|hidden|required|optional)$/i;
const PLACEHOLDER_PART = /example|placeholder|dummy|sample|changeme|change[-_]me|redacted|your[-_ ]|my[-_ ]|insert[-_ ]|enter[-_ ]|replace|_here\b|-here\b|xxxx|\btest\b|^test|test$|_test|test_|demo|fake|asdf|qwerty|token|secret|password|apikey|api[-_]key/i;

/** A value that only stands for something else: a placeholder word, `<token>`, `${TOKEN}`, `%TOKEN%`, `$TOKEN`. */
export function isPlaceholder(value: string, name?: string): boolean {
  const v = value.trim();
  if (v.length === 0) return true;
  if (PLACEHOLDER.test(v) || PLACEHOLDER_PART.test(v)) return true;
  if (/^<[^>]*>$|^\[[^\]]*\]$|^\$\{[^}]*\}$|^\$[A-Z_][A-Z0-9_]*$|^%[^%]+%$|^:[a-z_]+$/i.test(v)) return true;
  // the variable's own name, or a part of it (`oauth2ClientSecret: clientSecret`)
  if (name && normalize(v).length > 0 && normalize(name).includes(normalize(v))) return true;
  // a repeated character (`aaaaaaaa`) or a run (`12345678`, `abcdefgh`)
  if (/^(.)\1*$/.test(v)) return true;
  if ('0123456789abcdefghijklmnopqrstuvwxyz'.includes(v.toLowerCase()) && v.length >= 3) return true;
  return false;
}

function normalize(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  if (!s) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A token that is random enough to be a secret: long, high-entropy, of mixed classes; not a UUID, word, path or URL. */
export function isHighEntropy(token: string): boolean {
  if (UUID.test(token)) return false;
  // hex alone is a hash or an id far more often than a secret (ETags, commit ids): a credential position says otherwise
  if (/^[0-9a-f]+$/i.test(token)) return false;
  if (token.length < 20) return false;
  if (!/^[A-Za-z0-9+/=_.~-]+$/.test(token)) return false;
  if (/^[a-z]+(?:[-_.][a-z]+)*$/.test(token) || /^[A-Z_]+$/.test(token)) return false; // words, CONSTANTS
  if (token.includes('/') && !/[+=]/.test(token)) return false; // a path or URL (base64 with a slash has + or = too, mostly)
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((re) => re.test(token)).length;
  if (classes < 2) return false;
  // a random string of n characters has at most log2(n) bits each: short ones are held to less than 4
  return entropy(token) >= Math.min(4, Math.log2(token.length) * 0.85);
}

/** The parts of a value outside template tags (`{{ ... }}`, `{% ... %}`, `{# ... #}`), with their offsets. */
export function literalParts(value: string): { text: string; start: number }[] {
  const parts: { text: string; start: number }[] = [];
  const re = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\{#[\s\S]*?#\}/g;
  let pos = 0;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    if (m.index > pos) parts.push({ text: value.slice(pos, m.index), start: pos });
    pos = m.index + m[0].length;
  }
  if (pos < value.length) parts.push({ text: value.slice(pos), start: pos });
  return parts;
}

/** Whether a name (header, parameter, variable, JSON key) says its value is a credential. */
export function isSecretName(name: string | undefined): boolean {
  return !!name && (SECRET_NAME.test(name) || AUTH_HEADERS.test(name));
}

function credentialPosition(ctx: ValueContext): boolean {
  switch (ctx.where) {
    case 'auth':
      if (!ctx.name || !SECRET_AUTH_FIELDS.has(ctx.name)) return false;
      // an API key auth's `key` is the header's name, its `value` the key; hawk's `key` is the secret
      if (ctx.name === 'key') return ctx.authType === 'hawk';
      if (ctx.name === 'value') return ctx.authType === 'apikey';
      return true;
    case 'header':
      return !!ctx.name && (AUTH_HEADERS.test(ctx.name) || SECRET_NAME.test(ctx.name));
    case 'parameter':
    case 'variable':
    case 'body':
      return isSecretName(ctx.name);
    default:
      return false;
  }
}

/** Whether a variable's value is (or looks like) a secret: by its name, or by what it holds. */
export function looksSecret(name: string, value: unknown): boolean {
  return isSecretName(name) || (typeof value === 'string' && detectSecrets(value, { where: 'variable', name }).length > 0);
}

/** Every secret in `value` sitting at `ctx`, by the three rules above; overlapping matches are reported once. */
export function detectSecrets(value: string, ctx: ValueContext): SecretMatch[] {
  if (!value || value.length > 1_000_000) return [];
  const found: SecretMatch[] = [];
  const add = (m: SecretMatch) => {
    if (m.end <= m.start) return;
    if (found.some((f) => f.start < m.end && m.start < f.end)) return;
    found.push(m);
  };
  for (const part of literalParts(value)) {
    for (const { kind, re } of KNOWN) {
      re.lastIndex = 0;
      for (let m = re.exec(part.text); m; m = re.exec(part.text)) add({ kind, start: part.start + m.index, end: part.start + m.index + m[0].length });
    }
  }
  if (ctx.where === 'script') return found;
  if (credentialPosition(ctx)) {
    // the whole literal (less an auth scheme word), when the value is not a template
    const parts = literalParts(value);
    const templated = parts.length !== 1 || parts[0].start !== 0 || parts[0].text.length !== value.length;
    if (!templated) {
      const scheme = SCHEME_WORDS.exec(value);
      const start = scheme ? scheme[0].length : 0;
      let literal = value.slice(start);
      // a cookie: its value; `name=value; other=...`: the first pair's value
      if (ctx.where === 'header' && /^cookie$/i.test(ctx.name ?? '')) {
        const eq = literal.indexOf('=');
        if (eq > 0) literal = literal.slice(eq + 1).split(';')[0];
      }
      const at = value.indexOf(literal, start);
      const trimmed = literal.trim();
      if (trimmed.length >= 6 && !isPlaceholder(trimmed, ctx.name) && !/\s/.test(trimmed) && !/^https?:\/\//.test(trimmed)) {
        const s = at + literal.indexOf(trimmed);
        add({ kind: 'credential', start: s, end: s + trimmed.length });
      }
    }
  }
  if (ctx.where !== 'body') {
    for (const part of literalParts(value)) {
      const re = /[A-Za-z0-9+/=_.~-]+/g;
      for (let m = re.exec(part.text); m; m = re.exec(part.text)) {
        if (isHighEntropy(m[0])) add({ kind: 'high-entropy', start: part.start + m.index, end: part.start + m.index + m[0].length });
      }
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/**
 * A preview that says which value without saying it: a known prefix (`ghp_`) or the first character, dots, and the
 * last two characters of a long value (none of a short one).
 */
export function maskSecret(secret: string, kind: SecretKind): string {
  const prefix = /^(gh[pousr]_|github_pat_|glpat-|xox[abposr]-|AKIA|ASIA|[rs]k_live_|AIza|sk-|npm_|SG\.|SK|eyJ|-----BEGIN)/.exec(secret)?.[0];
  const head = prefix ?? secret.slice(0, 1);
  const tail = secret.length >= 16 && kind !== 'private-key' ? secret.slice(-2) : '';
  return `${head}${SECRET_MASK}${tail}`;
}
