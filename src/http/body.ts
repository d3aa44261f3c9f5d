// Request bodies from the model's `body` (Insomnia's mimeType + text/params/fileName): JSON, text, XML,
// form-urlencoded, multipart (text and file parts), GraphQL (stored as JSON text, sent as JSON) and binary files.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { RequestBody } from '../collections/model';
import { HttpError } from './httpError';
import type { BodyKind } from './types';

export type { BodyKind } from './types';

export function bodyKind(body: RequestBody | undefined): BodyKind {
  const mime = (body?.mimeType ?? '').toLowerCase().split(';')[0].trim();
  if (!body || (!mime && !body.text && !body.params?.length && !body.fileName)) return 'none';
  if (mime === 'application/graphql') return 'graphql';
  if (mime === 'application/x-www-form-urlencoded') return 'form';
  if (mime === 'multipart/form-data') return 'multipart';
  if (mime === 'application/octet-stream' || (body.fileName && !body.text && !body.params)) return 'file';
  if (mime === 'application/json' || mime.endsWith('+json')) return 'json';
  if (mime === 'application/xml' || mime === 'text/xml' || mime.endsWith('+xml')) return 'xml';
  if (mime.startsWith('text/') || !mime) return 'text';
  return 'other';
}

/** JSON check for the editor: undefined when valid, else the parser's message. Empty text is valid (no body). */
export function validateJson(text: string): string | undefined {
  if (!text.trim()) return undefined;
  try {
    JSON.parse(text);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** Pretty-prints JSON with `indent` spaces (default 2); throws HttpError('InvalidBody') on invalid JSON. */
export function formatJson(text: string, indent = 2): string {
  const problem = validateJson(text);
  if (problem) throw new HttpError('InvalidBody', `The body is not valid JSON: ${problem}`, 'body');
  if (!text.trim()) return text;
  return JSON.stringify(JSON.parse(text), null, indent);
}

/** GraphQL as Insomnia stores it (`{"query","variables","operationName"}` text) -> the JSON to send. */
export function graphqlPayload(text: string): string {
  if (!text.trim()) return JSON.stringify({ query: '' });
  let parsed: { query?: unknown; variables?: unknown; operationName?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    // a bare query (not Insomnia's JSON wrapper)
    return JSON.stringify({ query: text });
  }
  let variables = parsed.variables;
  if (typeof variables === 'string') {
    try {
      variables = variables.trim() ? JSON.parse(variables) : undefined;
    } catch (err) {
      throw new HttpError('InvalidBody', `GraphQL variables are not valid JSON: ${(err as Error).message}`, 'body');
    }
  }
  const out: Record<string, unknown> = { query: parsed.query ?? '' };
  if (variables !== undefined && variables !== null && !(typeof variables === 'object' && Object.keys(variables).length === 0)) out.variables = variables;
  if (parsed.operationName) out.operationName = parsed.operationName;
  return JSON.stringify(out);
}

/** application/x-www-form-urlencoded, as browsers encode it (spaces as '+'). */
export function encodeForm(params: readonly { name: string; value: string }[]): string {
  const sp = new URLSearchParams();
  for (const p of params) sp.append(p.name, p.value);
  return sp.toString();
}

export interface MultipartPart {
  name: string;
  value: string;
  type: 'text' | 'file';
  /** for file parts: the file's path on disk. */
  fileName?: string;
}

const MIME_BY_EXT: Record<string, string> = {
  '.json': 'application/json',
  '.txt': 'text/plain',
  '.xml': 'application/xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.pdf': 'application/pdf',
  '.html': 'text/html',
  '.csv': 'text/csv',
};

export function guessMimeType(file: string): string {
  return MIME_BY_EXT[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

function quote(s: string): string {
  return s.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22');
}

/** multipart/form-data (RFC 7578); file parts read from disk. Returns the body and the boundary. */
export async function encodeMultipart(parts: readonly MultipartPart[], boundary = `----HammockFormBoundary${crypto.randomBytes(12).toString('hex')}`): Promise<{ body: Buffer; boundary: string }> {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${quote(part.name)}"`;
    if (part.type === 'file') {
      if (!part.fileName) throw new HttpError('FileError', `The file part "${part.name}" has no file chosen.`, 'body');
      let data: Buffer;
      try {
        data = await fsp.readFile(part.fileName);
      } catch (err) {
        throw new HttpError('FileError', `Cannot read the file of part "${part.name}" (${part.fileName}): ${(err as Error).message}`, 'body', err);
      }
      head += `; filename="${quote(path.basename(part.fileName))}"\r\nContent-Type: ${guessMimeType(part.fileName)}\r\n\r\n`;
      chunks.push(Buffer.from(head, 'utf8'), data, Buffer.from('\r\n'));
    } else {
      head += '\r\n\r\n';
      chunks.push(Buffer.from(head, 'utf8'), Buffer.from(part.value, 'utf8'), Buffer.from('\r\n'));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), boundary };
}

/** A binary-file body: a read stream and its size (checked now, so a missing file fails before sending). */
export async function fileBody(file: string): Promise<{ stream: fs.ReadStream; size: number }> {
  if (!file) throw new HttpError('FileError', 'The binary body has no file chosen.', 'body');
  try {
    const st = await fsp.stat(file);
    return { stream: fs.createReadStream(file), size: st.size };
  } catch (err) {
    throw new HttpError('FileError', `Cannot read the body file ${file}: ${(err as Error).message}`, 'body', err);
  }
}
