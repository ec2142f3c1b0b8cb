import type { PackProblem } from './pack-problem.js';
import { describeEntry } from './schema-check.js';
import type { SourceText } from './source-check.js';
import type { YamlFile } from './yaml-file.js';

/**
 * A phone number, email address or opening time written anywhere in the pack's text (a summary, an
 * action, a key point, a triage question), not only in contacts.yaml, must be one the procedure
 * prints: a made-up number typed into an action ("Call Starting Point on 01629 533190") would
 * otherwise reach a practitioner looking for help.
 */
const phonePattern = /(?<![\d-])(?:\+44\s?|0)\d[\d ]{6,12}\d(?![\d-])/g;
const emailPattern = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
const timePattern = /\b\d{1,2}(?:[.:]\d{2})?\s?(?:am|pm)\b/gi;

export interface TextFidelityOptions {
  /** Also check opening times (only in text practitioners read; language lists may hold phrases such as "at 8pm"). */
  times: boolean;
}

export function textFidelityProblems(file: YamlFile, source: SourceText, options: TextFidelityOptions): PackProblem[] {
  const problems: PackProblem[] = [];
  const printed = printedDetails(source);
  for (const [path, text] of strings(file.data, [])) {
    const found: Array<{ what: string; value: string; fix: string }> = [];
    for (const phone of text.match(phonePattern) ?? []) {
      if (!source.contains(phone.trim()))
        found.push({
          what: 'phone number',
          value: phone.trim(),
          fix: `Use a number the procedure prints, copied exactly (${printed.phones.join(', ')}), or remove it.`,
        });
    }
    for (const email of text.match(emailPattern) ?? []) {
      if (!source.containsIgnoringCase(email))
        found.push({
          what: 'email address',
          value: email,
          fix: `Use an address the procedure prints (${printed.emails.join(', ')}), or remove it.`,
        });
    }
    if (options.times) {
      for (const time of text.match(timePattern) ?? []) {
        if (!source.containsIgnoringCase(time))
          found.push({
            what: 'time',
            value: time,
            fix: `Use the opening times as the procedure gives them (${printed.times.join(', ')}).`,
          });
      }
    }
    for (const { what, value, fix } of found) {
      const line = file.lineOf(path);
      problems.push({
        file: file.displayPath,
        ...(line !== undefined ? { line } : {}),
        entry: describeEntry(file.data, path),
        message: `the ${what} "${value}" does not appear word for word in the source procedure.`,
        fix,
      });
    }
  }
  return problems;
}

/** Every string in a YAML document with the path to it (for the line number and the entry's name). */
function* strings(node: unknown, path: Array<string | number>): Generator<[Array<string | number>, string]> {
  if (typeof node === 'string') yield [path, node];
  else if (Array.isArray(node)) for (const [index, item] of node.entries()) yield* strings(item, [...path, index]);
  else if (node && typeof node === 'object') for (const [key, value] of Object.entries(node)) yield* strings(value, [...path, key]);
}

/** What the procedure does print, to name in the fix. */
function printedDetails(source: SourceText): { phones: string[]; emails: string[]; times: string[] } {
  const text = source.text;
  const unique = (items: string[]) => [...new Set(items.map((item) => item.trim()))];
  return {
    phones: unique([...(text.match(phonePattern) ?? []), ...(text.match(/\b999\b/) ?? [])]),
    emails: unique(text.match(emailPattern) ?? []),
    times: unique(text.match(timePattern) ?? []),
  };
}
