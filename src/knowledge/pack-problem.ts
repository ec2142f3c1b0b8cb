/**
 * A problem found in the knowledge pack, worded for a safeguarding lead who edits YAML, not code:
 * which file, which entry, what is wrong and how to fix it.
 */
export interface PackProblem {
  file: string;
  line?: number;
  entry?: string;
  message: string;
  fix: string;
}

export function formatProblem(problem: PackProblem): string {
  const where = [problem.file + (problem.line ? `:${problem.line}` : ''), problem.entry].filter(Boolean).join(', ');
  return `${where}: ${problem.message}\n    Fix: ${problem.fix}`;
}

export class KnowledgePackError extends Error {
  readonly problems: PackProblem[];

  constructor(problems: PackProblem[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`The knowledge pack has ${count}:\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`);
    this.name = 'KnowledgePackError';
    this.problems = problems;
  }
}
