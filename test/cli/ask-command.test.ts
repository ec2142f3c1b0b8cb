import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

function ask(args: string[], input?: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/ask.ts', ...args], {
    cwd: projectRoot,
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('the ask command', () => {
  it('--jsonl writes exactly one JSON object per input line and nothing else', () => {
    const result = ask(['--jsonl'], 'two pupils sharing nudes\n\nboy missing after meeting a man from xbox\nwhat is for lunch\n');
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.split('\n').filter(Boolean);
    assert.equal(lines.length, 4);
    const answers = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const answer of answers) {
      for (const field of ['query', 'kind', 'emergency', 'risk', 'topicId', 'title', 'score', 'alternatives', 'text'])
        assert.ok(field in answer, field);
      assert.match(String(answer.text), /call 999/i);
    }
    assert.deepEqual(
      answers.map((answer) => answer.kind),
      ['answer', 'help', 'emergency', 'fallback'],
    );
    assert.equal(answers[2]!.emergency, true);
    assert.deepEqual(
      answers.map((answer) => answer.risk),
      ['none', 'none', 'emergency', 'none'],
    );
    assert.equal(answers[0]!.query, 'two pupils sharing nudes');
  });

  it('--json prints the Answer model', () => {
    const result = ask(['--json', 'county lines']);
    const answer = JSON.parse(result.stdout) as { topicId: string; procedures: Array<{ name: string }> };
    assert.equal(answer.topicId, 'county-lines');
    assert.ok(answer.procedures.some((procedure) => procedure.name.includes('Children at Risk of Exploitation')));
  });

  it('prints plain text by default', () => {
    const result = ask(['who do I call for advice in Derby']);
    assert.match(result.stdout, /07812 300 329/);
  });
});
