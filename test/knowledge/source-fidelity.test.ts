import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { defaultKnowledgeDirectory } from '../../src/knowledge/load-knowledge-pack.js';

/**
 * An independent check, reading the raw files rather than the loaded pack: every phone number,
 * email address and opening time written anywhere in knowledge/ appears in the source procedure.
 */
describe('knowledge pack fidelity to the source procedure', () => {
  const source = readFileSync(join(defaultKnowledgeDirectory, 'source', 'safeguarding-children-from-online-harms.txt'), 'utf8');
  const files: string[] = [];
  (function walk(directory: string) {
    for (const name of readdirSync(directory)) {
      const path = join(directory, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'source') walk(path);
      } else files.push(path);
    }
  })(defaultKnowledgeDirectory);

  const digits = (text: string) => text.replace(/\D/g, '');
  const sourcePhones = new Set([...(source.match(/\b0\d[\d ]{6,12}\d\b|\b999\b/g) ?? [])].map(digits));
  const sourceEmails = new Set([...(source.match(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g) ?? [])].map((email) => email.toLowerCase()));
  const sourceTimes = new Set(
    [...(source.match(/\b\d{1,2}(?:[.:]\d{2})?\s?(?:am|pm)\b/gi) ?? [])].map((time) => time.toLowerCase().replace(/\s/g, '')),
  );

  it('reads the pack files', () => {
    assert.ok(files.length > 60);
  });

  it('has no phone number that the procedure does not print', () => {
    const bad: string[] = [];
    for (const file of files) {
      for (const found of readFileSync(file, 'utf8').match(/(?<![\d-])(?:\+44\s?|0)\d[\d ]{6,12}\d(?![\d-])/g) ?? []) {
        if (!sourcePhones.has(digits(found).replace(/^44/, '0'))) bad.push(`${relative(defaultKnowledgeDirectory, file)}: ${found}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it('has no email address that the procedure does not print', () => {
    const bad: string[] = [];
    for (const file of files) {
      for (const found of readFileSync(file, 'utf8').match(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g) ?? []) {
        if (!sourceEmails.has(found.toLowerCase())) bad.push(`${relative(defaultKnowledgeDirectory, file)}: ${found}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it('has no opening time that the procedure does not give', () => {
    const bad: string[] = [];
    for (const file of files) {
      for (const found of readFileSync(file, 'utf8').match(/\b\d{1,2}(?:[.:]\d{2})?\s?(?:am|pm)\b/gi) ?? []) {
        if (!sourceTimes.has(found.toLowerCase().replace(/\s/g, ''))) bad.push(`${relative(defaultKnowledgeDirectory, file)}: ${found}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it('has no web address (the procedure gives none)', () => {
    const bad = files.flatMap((file) =>
      (readFileSync(file, 'utf8').match(/https?:\/\/\S+|www\.\S+/g) ?? [])
        .filter((url) => !url.startsWith('http://json-schema.org/'))
        .map((url) => `${relative(defaultKnowledgeDirectory, file)}: ${url}`),
    );
    assert.deepEqual(bad, []);
  });
});
