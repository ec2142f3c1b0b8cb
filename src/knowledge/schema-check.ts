import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { PackProblem } from './pack-problem.js';
import type { YamlFile } from './yaml-file.js';

export type SchemaName =
  | 'pack'
  | 'contacts'
  | 'procedures'
  | 'reporting-routes'
  | 'resources'
  | 'topic'
  | 'synonyms'
  | 'immediate-risk-signals'
  | 'small-talk'
  | 'triage';

/** Compiles the JSON Schemas in knowledge/schema once and checks files against them. */
export class SchemaChecker {
  private readonly validators = new Map<SchemaName, ValidateFunction>();
  private readonly ajv = new Ajv({ allErrors: true, verbose: true, strictSchema: true, strictRequired: false, strictTypes: false });

  constructor(private readonly schemaDirectory: string) {}

  check(name: SchemaName, file: YamlFile): PackProblem[] {
    const validate = this.validatorFor(name);
    if (validate(file.data)) return [];
    return describeErrors(validate.errors ?? [], file);
  }

  private validatorFor(name: SchemaName): ValidateFunction {
    let validate = this.validators.get(name);
    if (!validate) {
      const schema = JSON.parse(readFileSync(join(this.schemaDirectory, `${name}.schema.json`), 'utf8'));
      validate = this.ajv.compile(schema);
      this.validators.set(name, validate);
    }
    return validate;
  }
}

function describeErrors(errors: ErrorObject[], file: YamlFile): PackProblem[] {
  // "oneOf" failures repeat what the branch errors already say; keep them only when alone.
  const specific = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'if');
  const chosen = specific.length > 0 ? specific : errors;
  const seen = new Set<string>();
  const problems: PackProblem[] = [];
  for (const error of chosen) {
    const path = pointerToPath(error.instancePath);
    const key = `${error.instancePath}|${error.keyword}|${JSON.stringify(error.params)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const line = file.lineOf(path);
    problems.push({
      file: file.displayPath,
      ...(line ? { line } : {}),
      entry: describeEntry(file.data, path),
      message: describeMessage(error, path),
      fix: describeFix(error),
    });
  }
  return problems;
}

function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** Names the entry an error is in, e.g. `contacts[3] "childline"`, so editors can find it. */
export function describeEntry(data: unknown, path: ReadonlyArray<string | number>): string {
  const parts: string[] = [];
  let node: unknown = data;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') break;
    node = (node as Record<string | number, unknown>)[segment];
    if (typeof segment === 'number') {
      const id = node && typeof node === 'object' ? (node as { id?: unknown }).id : undefined;
      const last = parts.pop() ?? '';
      parts.push(`${last}[${segment}]${typeof id === 'string' ? ` "${id}"` : ''}`);
    } else {
      parts.push(segment);
    }
  }
  const topLevelId = data && typeof data === 'object' ? (data as { id?: unknown }).id : undefined;
  const prefix = typeof topLevelId === 'string' ? `"${topLevelId}"` : '';
  const inner = parts.join('.');
  return [prefix, inner].filter(Boolean).join(' ') || 'top level';
}

function describeMessage(error: ErrorObject, path: ReadonlyArray<string | number>): string {
  const last = path[path.length - 1];
  const field = last === undefined ? 'the file' : typeof last === 'number' ? `${String(path[path.length - 2] ?? 'item')}[${last}]` : last;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `"${String(params.missingProperty)}" is missing.`;
    case 'additionalProperties':
      return `"${String(params.additionalProperty)}" is not a field this file knows.`;
    case 'enum':
      return `${field} is "${String(error.data)}", which is not an allowed value.`;
    case 'pattern':
      return `${field} "${String(error.data)}" is not in the expected format.`;
    case 'type':
      return `${field} should be ${String(params.type)}.`;
    case 'minLength':
      return `${field} is too short.`;
    case 'maxLength':
      return `${field} is ${String(error.data).length} characters long; the limit is ${String(params.limit)}.`;
    case 'minItems':
      return `${field} has too few items.`;
    case 'maxItems':
      return `${field} has ${Array.isArray(error.data) ? error.data.length : '?'} items; the limit is ${String(params.limit)}.`;
    case 'uniqueItems': {
      const items = Array.isArray(error.data) ? error.data : [];
      const repeated = items[Number(params.j)];
      return repeated === undefined ? `${field} lists the same item twice.` : `${field} lists "${String(repeated)}" twice.`;
    }
    case 'dependencies':
      return `${field} needs "${String(params.missingProperty)}" as well.`;
    default:
      return `${field} ${error.message ?? 'is not valid'}.`;
  }
}

function describeFix(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const parent = (error.parentSchema ?? {}) as { description?: string; properties?: Record<string, unknown> };
  switch (error.keyword) {
    case 'required':
      return `Add "${String(params.missingProperty)}" to this entry.`;
    case 'additionalProperties': {
      const allowed = Object.keys(parent.properties ?? {}).join(', ');
      return `Check the spelling or remove it. Allowed fields here: ${allowed}.`;
    }
    case 'enum':
      return `Use one of: ${(error.schema as unknown[]).join(', ')}.`;
    case 'pattern':
      return parent.description
        ? `Follow the format: ${parent.description}`
        : `Use lower-case words joined by hyphens (for example "report-remove"), or the format described in the schema.`;
    case 'type':
      return `Write it as ${String(params.type)}${params.type === 'string' ? ' (put it in quotes if it looks like a number or date)' : ''}.`;
    case 'minLength':
      return `Write at least ${String(params.limit)} characters.`;
    case 'maxLength':
      return `Shorten it to ${String(params.limit)} characters or fewer; split long text into separate items.`;
    case 'minItems':
      return `Give at least ${String(params.limit)} item(s).`;
    case 'maxItems':
      return `Keep only the ${String(params.limit)} most relevant items.`;
    case 'uniqueItems':
      return 'Remove the repeated item.';
    case 'dependencies':
      return `Give both, or neither.`;
    default:
      return 'See the field descriptions in the schema file under knowledge/schema/.';
  }
}
