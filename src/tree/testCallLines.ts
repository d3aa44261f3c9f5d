// Where a request's `insomnia.test('name', ...)` calls sit in its collection file, so that the Test Explorer shows a
// failed test's message at the test (VS Code's peek, the editor's gutter) rather than at the request's first line.
// Pure: the caller reads the file.

/**
 * The 0-based line of each test call named in `names` (in the order given; a name given twice is its second call)
 * inside the request that starts at `requestLine` of `text`: a v5 item (`- url: ...`) ends at the next line indented
 * no deeper than its `-`; a legacy request is its whole file. A test not found (a folder's, or written in a way this
 * does not read) is left out.
 */
export function testCallLines(text: string, requestLine: number, names: readonly string[]): (number | undefined)[] {
  const lines = text.split(/\r?\n/);
  const first = lines[requestLine] ?? '';
  const indent = first.length - first.trimStart().length;
  let end = lines.length;
  if (first.trimStart().startsWith('-')) {
    for (let i = requestLine + 1; i < lines.length; i++) {
      const l = lines[i];
      if (l.trim() === '' || l.trimStart().startsWith('#')) continue;
      if (l.length - l.trimStart().length <= indent) {
        end = i;
        break;
      }
    }
  }
  const seen = new Map<string, number>();
  return names.map((name) => {
    const nth = (seen.get(name) ?? 0) + 1;
    seen.set(name, nth);
    // the name in quotes of any kind, a quote escaped (a double-quoted YAML scalar) or not
    const call = new RegExp(`\\btest(?:\\.skip)?\\s*\\(\\s*\\\\?(['"\`])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\\\?\\1`);
    const found: number[] = [];
    for (let i = requestLine; i < end; i++) if (call.test(lines[i])) found.push(i);
    return found[nth - 1] ?? found[0];
  });
}
