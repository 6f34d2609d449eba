import * as fs from 'fs';
import { Node, ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { GuardrailError } from './index';

/** Settings files are a few kilobytes; anything this large is the wrong file. */
export const MAX_JSON_FILE_BYTES = 1024 * 1024;

/**
 * Reads a JSON settings file strictly: it must be a regular file (a FIFO would hang the read, a directory or a
 * dangling symbolic link is a mistake, never "no file"), valid JSON without comments, and without duplicate keys
 * (JSON.parse silently keeps the last one). Errors name the file and the line.
 */
export function readJsonFile(file: string, subject: string): unknown {
  const kind = fileKind(file);
  if (kind === 'missing link') throw new GuardrailError(subject, '(whole file)', file, 'is a symbolic link to a file that does not exist');
  if (kind !== 'file') throw new GuardrailError(subject, '(whole file)', file, `is a ${kind}, not a regular file`);
  const size = fs.statSync(file).size;
  if (size > MAX_JSON_FILE_BYTES) throw new GuardrailError(subject, '(whole file)', file, `is ${size} bytes; a settings file is at most ${MAX_JSON_FILE_BYTES} bytes`);
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length > 0 || !tree) {
    const error = errors[0];
    const where = error ? `line ${lineOf(text, error.offset)}` : 'the start';
    throw new GuardrailError(subject, '(whole file)', '<unparsable>', `is not valid JSON: ${error ? printParseErrorCode(error.error) : 'empty file'} at ${where}`);
  }
  const duplicate = findDuplicateKey(tree, '');
  if (duplicate) throw new GuardrailError(subject, duplicate.path, duplicate.key, `appears twice in one object (lines ${lineOf(text, duplicate.first)} and ${lineOf(text, duplicate.second)}); JSON keeps only the last, so one of them would be ignored`);
  return JSON.parse(text);
}

/** What is at a path, following symbolic links, without opening it. */
export function fileKind(file: string): 'file' | 'directory' | 'FIFO (named pipe)' | 'socket' | 'device' | 'missing link' | 'absent' {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    return 'absent';
  }
  if (stat.isSymbolicLink()) {
    try {
      stat = fs.statSync(file);
    } catch {
      return 'missing link';
    }
  }
  if (stat.isFile()) return 'file';
  if (stat.isDirectory()) return 'directory';
  if (stat.isFIFO()) return 'FIFO (named pipe)';
  if (stat.isSocket()) return 'socket';
  return 'device';
}

function findDuplicateKey(node: Node, path: string): { path: string; key: string; first: number; second: number } | undefined {
  if (node.type === 'object') {
    const seen = new Map<string, number>();
    for (const property of node.children ?? []) {
      const [keyNode, valueNode] = property.children ?? [];
      const key = String(keyNode?.value);
      const at = path === '' ? key : `${path}.${key}`;
      if (seen.has(key)) return { path: at, key, first: seen.get(key)!, second: property.offset };
      seen.set(key, property.offset);
      const nested = valueNode && findDuplicateKey(valueNode, at);
      if (nested) return nested;
    }
  } else if (node.type === 'array') {
    for (const [i, child] of (node.children ?? []).entries()) {
      const nested = findDuplicateKey(child, `${path}[${i}]`);
      if (nested) return nested;
    }
  }
  return undefined;
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}
