// The engine's three heaviest dependencies, required on first use instead of when its bundle loads: the bundle is
// loaded on the extension host's thread when the first request editor opens (webviews/httpEngine.ts), and undici's
// httpsnippet's and tough-cookie's module code (mime-db's table, form-data, undici's web globals, tldts's public
// suffix list) was most of that load's time.
// esbuild keeps each package in its own lazily run wrapper, so each runs at the first call below.
import type * as Snippet from 'httpsnippet';
import type * as Tough from 'tough-cookie';
import type * as Undici from 'undici';

let undiciModule: typeof Undici | undefined;
let snippetModule: typeof Snippet | undefined;
let toughModule: typeof Tough | undefined;

export function undici(): typeof Undici {
  return (undiciModule ??= require('undici') as typeof Undici);
}

export function httpSnippet(): typeof Snippet {
  return (snippetModule ??= require('httpsnippet') as typeof Snippet);
}

export function toughCookie(): typeof Tough {
  return (toughModule ??= require('tough-cookie') as typeof Tough);
}
