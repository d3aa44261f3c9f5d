// The host's answer to a cURL command pasted into the request editor's URL field (the page's `pasteCurl`): the fields
// the command gives the request (curlPaste.ts, in the lazy writers bundle), which the page applies as one edit, or a
// message saying why nothing changed. The pasted text may hold secrets (an Authorization header, `-u user:pass`): it
// is neither logged nor kept here; the fields go to the page, which writes them through the edit path, into the
// request's file as typed ones go (the commit's secret check sees them there as it sees typed ones). No 'vscode'.
import type { CurlPaste } from '../collections/convert/curlPaste';
import type { EditorNotification } from './protocol';

/** The `curlPasted` answer to the paste `seq` of `text`, read with `parse` (writers().curlPasteFields). */
export function answerCurlPaste(seq: number, text: string, parse: (text: string) => CurlPaste): EditorNotification {
  try {
    const { fields, notes } = parse(text);
    return { type: 'curlPasted', seq, fields, notes };
  } catch (err) {
    const why = (err instanceof Error ? err.message : String(err)).replace(/\.$/, '');
    return {
      type: 'curlPasted',
      seq,
      error: `The pasted cURL command was not put in this request, nothing changed: ${why}. Check the command (its quotes, its line continuations, its URL), or paste it with Import... to see what it holds.`,
    };
  }
}
