/**
 * Where a `module "<name>" { … }` block starts and ends in an HCL file, so the migration can replace exactly that text
 * and leave the rest of the file as the team wrote it. Braces inside strings, templates, heredocs and comments do not
 * count.
 */
export interface BlockSpan {
  readonly start: number;
  /** Just past the closing brace. */
  readonly end: number;
  /** 1-based line of `module "<name>"`. */
  readonly line: number;
}

export function moduleBlockSpan(text: string, name: string): BlockSpan | undefined {
  const header = new RegExp(`^[ \\t]*module[ \\t]+"${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[ \\t]*\\{`, 'm');
  for (let from = 0; ; ) {
    const match = header.exec(text.slice(from));
    if (!match) return undefined;
    const start = from + match.index;
    if (!insideCommentOrString(text, start)) {
      const open = start + match[0].length - 1;
      const end = matchingBrace(text, open);
      return end === undefined ? undefined : { start, end: end + 1, line: text.slice(0, start).split('\n').length };
    }
    from = start + match[0].length;
  }
}

/** Index of the `}` closing the `{` at `open`; braces in strings, templates, comments and heredocs do not count. */
export function matchingBrace(text: string, open: number): number | undefined {
  let depth = 0;
  let i = open;
  while (i < text.length) {
    const skipped = skipNonCode(text, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    const char = text[i];
    if (char === '{') depth++;
    else if (char === '}' && --depth === 0) return i;
    i++;
  }
  return undefined;
}

/** Past a comment, a quoted string (with its `${…}` templates) or a heredoc starting at `i`; else `i`. */
function skipNonCode(text: string, i: number): number {
  if (text.startsWith('#', i) || text.startsWith('//', i)) {
    const newline = text.indexOf('\n', i);
    return newline < 0 ? text.length : newline;
  }
  if (text.startsWith('/*', i)) {
    const close = text.indexOf('*/', i + 2);
    return close < 0 ? text.length : close + 2;
  }
  if (text[i] === '"') return skipString(text, i + 1);
  const heredoc = /^<<-?([A-Za-z_][A-Za-z0-9_]*)\r?\n/.exec(text.slice(i, i + 200));
  if (heredoc) {
    const terminator = new RegExp(`^[ \\t]*${heredoc[1]}[ \\t]*$`, 'm');
    const body = text.slice(i + heredoc[0].length);
    const close = terminator.exec(body);
    return close ? i + heredoc[0].length + close.index + close[0].length : text.length;
  }
  return i;
}

function skipString(text: string, i: number): number {
  while (i < text.length) {
    if (text[i] === '\\') i += 2;
    else if (text[i] === '"') return i + 1;
    else if (text.startsWith('${', i) || text.startsWith('%{', i)) i = (matchingBrace(text, i + 1) ?? text.length - 1) + 1;
    else i++;
  }
  return text.length;
}

function insideCommentOrString(text: string, position: number): boolean {
  let i = 0;
  while (i < position) {
    const skipped = skipNonCode(text, i);
    if (skipped !== i) {
      if (skipped > position) return true;
      i = skipped;
    } else i++;
  }
  return false;
}
