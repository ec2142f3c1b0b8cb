import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckedPackCache } from '../../src/knowledge/checked-pack-cache.js';
import { defaultKnowledgeDirectory, loadKnowledgePack } from '../../src/knowledge/load-knowledge-pack.js';
import { KnowledgePackError, type PackProblem } from '../../src/knowledge/pack-problem.js';

/** A throwaway copy of the real pack, to break on purpose. */
function packCopy(): string {
  const directory = join(mkdtempSync(join(tmpdir(), 'pack-')), 'knowledge');
  cpSync(defaultKnowledgeDirectory, directory, { recursive: true });
  return directory;
}

function edit(directory: string, file: string, change: (text: string) => string): void {
  const path = join(directory, file);
  writeFileSync(path, change(readFileSync(path, 'utf8')));
}

function problemsOf(directory: string): PackProblem[] {
  try {
    loadKnowledgePack(directory);
  } catch (error) {
    assert.ok(error instanceof KnowledgePackError, String(error));
    return error.problems;
  }
  assert.fail('the broken pack was accepted');
}

describe('knowledge pack', () => {
  const copies: string[] = [];
  const broken = () => {
    const directory = packCopy();
    copies.push(directory);
    return directory;
  };
  after(() => {
    for (const directory of copies) rmSync(join(directory, '..'), { recursive: true, force: true });
  });

  it('loads and passes every check', () => {
    const { pack } = loadKnowledgePack(defaultKnowledgeDirectory, { today: new Date('2026-01-01'), cache: false });
    assert.ok(pack.topics.length >= 60, `only ${pack.topics.length} topics`);
    assert.equal(pack.identity.source.version, 'v53');
    assert.equal(pack.identity.source.lastUpdated, '2025-03-14');
    assert.ok(pack.identity.reviewBy > pack.identity.source.lastUpdated);
  });

  it('reuses a checked pack only while every file is byte for byte the same', () => {
    const directory = broken();
    const cache = new CheckedPackCache(join(directory, '..', 'cache'));
    const first = loadKnowledgePack(directory, { cache }).pack;
    assert.deepEqual(loadKnowledgePack(directory, { cache }).pack.topics, first.topics);
    edit(directory, 'contacts.yaml', (text) => text.replace('phone: 0800 1111', 'phone: 0800 1112'));
    assert.throws(() => loadKnowledgePack(directory, { cache }), KnowledgePackError);
  });

  it('warns, without failing, once the review date has passed', () => {
    const { warnings } = loadKnowledgePack(defaultKnowledgeDirectory, { today: new Date('2099-01-01') });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /due for review/);
  });

  it('names the file, the entry and the fix when a topic cites a contact that does not exist', () => {
    const directory = broken();
    edit(directory, 'topics/nudes-sharing.yaml', (text) =>
      text.replace('contacts: [designated-safeguarding-professional,', 'contacts: [designated-safeguarding-professinal,'),
    );
    const [problem] = problemsOf(directory);
    assert.equal(problem!.file, 'knowledge/topics/nudes-sharing.yaml');
    assert.match(problem!.entry!, /topic "nudes-sharing" contacts\[0\]/);
    assert.match(problem!.message, /"designated-safeguarding-professinal" does not exist in contacts\.yaml/);
    assert.match(problem!.fix, /Correct the id/);
    assert.ok(problem!.line && problem!.line > 1);
  });

  it('refuses a phone number that is not in the source procedure', () => {
    const directory = broken();
    edit(directory, 'contacts.yaml', (text) => text.replace('phone: 0800 1111', 'phone: 0800 1112'));
    const problems = problemsOf(directory);
    const problem = problems.find((candidate) => candidate.message.includes('0800 1112'));
    assert.ok(problem, JSON.stringify(problems));
    assert.equal(problem.file, 'knowledge/contacts.yaml');
    assert.match(problem.entry!, /"childline"/);
    assert.match(problem.fix, /exactly as the procedure prints it/);
  });

  it('refuses a made-up number typed into the text of a topic, naming the file, the line, the entry and the fix', () => {
    const directory = broken();
    edit(directory, 'topics/starting-point.yaml', (text) =>
      text.replace(/^actions:\n/m, 'actions:\n  - Call Starting Point on 01629 533190 for advice.\n'),
    );
    const problems = problemsOf(directory);
    assert.equal(problems.length, 1, JSON.stringify(problems));
    const [problem] = problems;
    assert.equal(problem!.file, 'knowledge/topics/starting-point.yaml');
    const lines = readFileSync(join(directory, 'topics/starting-point.yaml'), 'utf8').split('\n');
    assert.match(lines[problem!.line! - 1]!, /01629 533190/);
    assert.match(problem!.entry!, /"starting-point" actions\[0\]/);
    assert.match(problem!.message, /phone number "01629 533190" does not appear word for word/);
    assert.match(problem!.fix, /01629 535 353/);
  });

  it('refuses an email address or an opening time written into triage or a summary that the procedure does not give', () => {
    const directory = broken();
    edit(directory, 'triage.yaml', (text) =>
      text.replace('question: What is the concern about?', 'question: What is the concern about? (or email help@derbyshire.gov.uk)'),
    );
    edit(directory, 'topics/consultation-lines.yaml', (text) => text.replace(/^summary: /m, 'summary: Open until 5pm. '));
    const messages = problemsOf(directory).map((problem) => `${problem.file}: ${problem.message}`);
    assert.ok(
      messages.some((message) => /triage\.yaml: the email address "help@derbyshire\.gov\.uk"/.test(message)),
      messages.join('\n'),
    );
    assert.ok(
      messages.some((message) => /consultation-lines\.yaml: the time "5pm"/.test(message)),
      messages.join('\n'),
    );
  });

  it("refuses a direct answer that is not the procedure's own words, naming the file, the line, the entry and the fix", () => {
    const directory = broken();
    edit(directory, 'topics/viewing-nude-images.yaml', (text) =>
      text.replace(
        /^directAnswer: .*$/m,
        'directAnswer: "[Images] should never be viewed unless there is a good and clear reason to do so."',
      ),
    );
    const [problem, ...others] = problemsOf(directory);
    assert.deepEqual(others, []);
    assert.equal(problem!.file, 'knowledge/topics/viewing-nude-images.yaml');
    const lines = readFileSync(join(directory, 'topics/viewing-nude-images.yaml'), 'utf8').split('\n');
    assert.match(lines[problem!.line! - 1]!, /^directAnswer: /);
    assert.equal(problem!.entry, 'topic "viewing-nude-images" directAnswer');
    assert.match(
      problem!.message,
      /"should never be viewed unless there is a good and clear reason to do so" does not appear word for word/,
    );
    assert.match(problem!.fix, /\[square brackets\]/);
  });

  it('refuses a number, or a rewording, hidden in the [brackets] of a direct answer', () => {
    const directory = broken();
    edit(directory, 'topics/starting-point.yaml', (text) =>
      text.replace(
        /^directAnswer: .*$/m,
        'directAnswer: "In Derbyshire, [ring 01629 535 353 or] practitioners working with children and families can access the Starting Point Consultation and Advice Service for Professionals."',
      ),
    );
    edit(directory, 'topics/removing-devices.yaml', (text) =>
      text.replace(
        /^directAnswer: .*$/m,
        'directAnswer: "[Never take a phone away from a child, whatever they have done or said online] should only be considered as a last resort."',
      ),
    );
    const messages = problemsOf(directory).map((problem) => problem.message);
    assert.ok(
      messages.some((message) => /contain a number; numbers must come from the procedure/.test(message)),
      messages.join('\n'),
    );
    assert.ok(
      messages.some((message) => /are more than 8 words/.test(message)),
      messages.join('\n'),
    );
  });

  it('refuses an email address that is not in the source procedure', () => {
    const directory = broken();
    edit(directory, 'contacts.yaml', (text) => text.replace('email: cyber@derbyshire.police.uk', 'email: cyber@derby.police.uk'));
    assert.ok(problemsOf(directory).some((problem) => problem.message.includes('cyber@derby.police.uk')));
  });

  it('refuses opening hours whose data disagree with the published wording', () => {
    const directory = broken();
    edit(directory, 'contacts.yaml', (text) => text.replace('closes: "16:00"', 'closes: "17:00"'));
    const problems = problemsOf(directory);
    assert.ok(
      problems.some((problem) => problem.message.includes('"hours" does not say the same as "hoursAsPublished"')),
      JSON.stringify(problems),
    );
  });

  it('refuses a procedure name that is not word for word in the source', () => {
    const directory = broken();
    edit(directory, 'procedures.yaml', (text) => text.replace('name: Domestic Abuse Procedure', 'name: Domestic Violence Procedure'));
    assert.ok(
      problemsOf(directory).some(
        (problem) => problem.message.includes('Domestic Violence Procedure') && problem.file.endsWith('procedures.yaml'),
      ),
    );
  });

  it('points at the line of invalid YAML', () => {
    const directory = broken();
    edit(directory, 'topics/immediate-risk.yaml', (text) =>
      text.replace('title: "A child at immediate risk of harm: call 999"', 'title: "unterminated'),
    );
    const [problem] = problemsOf(directory);
    assert.equal(problem!.file, 'knowledge/topics/immediate-risk.yaml');
    assert.match(problem!.message, /not valid YAML/);
    assert.ok(problem!.line);
  });

  it('says which field is missing and how to add it', () => {
    const directory = broken();
    edit(directory, 'topics/immediate-risk.yaml', (text) => text.replace(/^summary: .*$/m, ''));
    const [problem] = problemsOf(directory);
    assert.match(problem!.message, /"summary" is missing/);
    assert.match(problem!.fix, /Add "summary"/);
  });

  it('says which field is unknown and which fields are allowed', () => {
    const directory = broken();
    edit(directory, 'topics/immediate-risk.yaml', (text) => `${text}\nphrasing: [oops]\n`);
    const [problem] = problemsOf(directory);
    assert.match(problem!.message, /"phrasing" is not a field/);
    assert.match(problem!.fix, /phrasings/);
  });

  it('refuses a topic whose id does not match its file name', () => {
    const directory = broken();
    edit(directory, 'topics/immediate-risk.yaml', (text) => text.replace('id: immediate-risk', 'id: immediate-danger'));
    const problems = problemsOf(directory);
    assert.ok(problems.some((problem) => problem.message.includes('does not match the file name')));
  });

  it('refuses a section anchor that is not in the source text', () => {
    const directory = broken();
    edit(directory, 'pack.yaml', (text) =>
      text.replace('startsWith: Parents and carers play a key role', 'startsWith: Parents and carers have a key role'),
    );
    assert.ok(problemsOf(directory).some((problem) => problem.message.includes('section start')));
  });

  it('refuses the same phrasing in two topics', () => {
    const directory = broken();
    edit(directory, 'topics/immediate-risk.yaml', (text) =>
      text.replace('phrasings:\n', 'phrasings:\n  - two pupils have been sharing nudes\n'),
    );
    const problems = problemsOf(directory);
    assert.ok(
      problems.some((problem) => problem.message.includes('is also a phrasing of topic')),
      JSON.stringify(problems),
    );
  });

  it('refuses a synonym that means two things', () => {
    const directory = broken();
    edit(directory, 'language/synonyms.yaml', (text) => text.replace('words: [iioc,', 'words: [sexting, iioc,'));
    assert.ok(problemsOf(directory).some((problem) => problem.message.includes('"sexting" already means')));
  });

  it('refuses an immediate-risk signal that uses an undefined word list', () => {
    const directory = broken();
    edit(directory, 'language/immediate-risk-signals.yaml', (text) => text.replace('      - $soon', '      - $son'));
    assert.ok(problemsOf(directory).some((problem) => problem.message.includes('"$son" is not defined')));
  });

  it('refuses a phrase repeated in an immediate-risk list', () => {
    const directory = broken();
    edit(directory, 'language/immediate-risk-signals.yaml', (text) =>
      text.replace('    any: [suicidal, ', '    any: [suicidal, suicidal, '),
    );
    assert.ok(problemsOf(directory).some((problem) => problem.message.includes('lists "suicidal" twice')));
  });

  it('refuses an undefined word list used as one phrase of a group', () => {
    const directory = broken();
    edit(directory, 'language/immediate-risk-signals.yaml', (text) => text.replace('watch your back, $soon]', 'watch your back, $sooon]'));
    assert.ok(problemsOf(directory).some((problem) => problem.message.includes('"$sooon" is not defined')));
  });
});
