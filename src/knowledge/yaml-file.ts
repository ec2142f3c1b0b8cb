import { readFileSync } from 'node:fs';
import { type Document, isNode, LineCounter, parseDocument } from 'yaml';
import type { PackProblem } from './pack-problem.js';

/** A parsed YAML file that can say on which line a value sits, so problems can point at it. */
export interface YamlFile {
  /** Path as shown to the editor, relative to the project (e.g. knowledge/contacts.yaml). */
  displayPath: string;
  data: unknown;
  lineOf(path: ReadonlyArray<string | number>): number | undefined;
}

export function readYamlFile(absolutePath: string, displayPath: string): YamlFile | PackProblem {
  let text: string;
  try {
    text = readFileSync(absolutePath, 'utf8');
  } catch {
    return { file: displayPath, message: 'the file cannot be read.', fix: 'Make sure the file exists and is readable.' };
  }
  const lineCounter = new LineCounter();
  const document: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, keepSourceTokens: false });
  const firstError = document.errors[0];
  if (firstError) {
    const line = firstError.linePos?.[0]?.line ?? lineCounter.linePos(firstError.pos[0]).line;
    return {
      file: displayPath,
      ...(line ? { line } : {}),
      message: `this is not valid YAML (${firstError.code.toLowerCase().replaceAll('_', ' ')}).`,
      fix: 'Check the indentation and quoting on that line; put text containing ": " or starting with a symbol in quotes.',
    };
  }
  return {
    displayPath,
    data: document.toJS(),
    lineOf(path) {
      const node = document.getIn(path, true);
      if (!isNode(node) || !node.range) return undefined;
      return lineCounter.linePos(node.range[0]).line;
    },
  };
}

export function isYamlFile(value: YamlFile | PackProblem): value is YamlFile {
  return 'data' in value;
}
