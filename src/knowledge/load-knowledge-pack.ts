import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TopicRankerWeights } from '../engine/topic-ranker.js';
import { CheckedPackCache } from './checked-pack-cache.js';
import { KnowledgePackError, type PackProblem } from './pack-problem.js';
import type {
  Contact,
  ImmediateRiskSignals,
  KnowledgePack,
  PackIdentity,
  Procedure,
  ReportingRoute,
  Resource,
  SmallTalk,
  SynonymEntry,
  Topic,
  TriageDefinition,
} from './pack-types.js';
import { quoteProblem } from './quoted-answer.js';
import { defaultRiskModelDirectory, type RiskModelWeights, readRiskModel, riskModelFileNames } from './risk-model-file.js';
import { describeEntry, SchemaChecker, type SchemaName } from './schema-check.js';
import { SourceText, structuredHoursMatchPublished } from './source-check.js';
import { textFidelityProblems } from './text-fidelity-check.js';
import { defaultTopicRankerDirectory, readTopicRanker, topicRankerFileName } from './topic-ranker-file.js';
import { isYamlFile, readYamlFile, type YamlFile } from './yaml-file.js';

export const defaultKnowledgeDirectory = resolve(fileURLToPath(new URL('../../knowledge', import.meta.url)));

export interface LoadedPack {
  pack: KnowledgePack;
  /** Things an editor should know about that do not stop the bot (a review date passed). */
  warnings: string[];
}

export interface LoadOptions {
  /** "Today" for the review-date warning; injectable so tests do not depend on the calendar. */
  today?: Date;
  /**
   * Reuse a previous result for byte-identical pack files and checking code (default). Pass false to
   * check every file again, as `npm run check:knowledge` does.
   */
  cache?: CheckedPackCache | false;
  /** The folder of the learned risk model (default models/); false to leave it out (the trainer measures the signals alone this way). */
  riskModel?: string | false;
  /** The folder of the learned topic ranker (default models/); false to leave it out (its trainer measures the matcher alone this way). */
  topicRanker?: string | false;
}

/**
 * Reads every file of the knowledge pack, checks it against its schema, checks that every
 * reference resolves and that contact details match the source procedure word for word.
 * Throws KnowledgePackError listing every problem found, so an editor can fix them in one pass.
 */
export function loadKnowledgePack(directory: string = defaultKnowledgeDirectory, options: LoadOptions = {}): LoadedPack {
  const cache = options.cache === false ? undefined : (options.cache ?? new CheckedPackCache());
  const fingerprint = cache?.fingerprint(directory);
  let pack = fingerprint ? cache?.read(fingerprint) : undefined;
  if (!pack) {
    pack = checkPack(directory);
    if (fingerprint) cache?.write(fingerprint, pack);
  }
  if (options.riskModel !== false) pack = { ...pack, riskModel: loadRiskModel(options.riskModel ?? defaultRiskModelDirectory) };
  if (options.topicRanker !== false) {
    const topicRanker = loadTopicRanker(options.topicRanker ?? defaultTopicRankerDirectory);
    if (topicRanker) pack = { ...pack, topicRanker };
  }
  const warnings: string[] = [];
  const today = (options.today ?? new Date()).toISOString().slice(0, 10);
  if (pack.identity.reviewBy < today) {
    warnings.push(
      `The knowledge pack was due for review on ${pack.identity.reviewBy}. Check the published procedure for a newer version, update the pack, then move reviewBy in knowledge/pack.yaml on.`,
    );
  }
  return { pack, warnings };
}

/** The learned immediate-risk model; a pack without a readable one does not start (emergencies would be missed). */
function loadRiskModel(directory: string): RiskModelWeights {
  const file = relative(process.cwd(), join(directory, riskModelFileNames.header));
  if (!existsSync(join(directory, riskModelFileNames.header))) {
    throw new KnowledgePackError([
      {
        file,
        message: 'The learned immediate-risk model is missing.',
        fix: 'Restore models/ from version control, or run `npm run train:risk` to train it from training/risk/.',
      },
    ]);
  }
  try {
    return readRiskModel(directory);
  } catch (error) {
    throw new KnowledgePackError([
      {
        file,
        message: `The learned immediate-risk model could not be read: ${error instanceof Error ? error.message : String(error)}`,
        fix: 'Run `npm run train:risk` to write the model files again, then commit both.',
      },
    ]);
  }
}

/** The learned topic ranker, when there is one; one that cannot be read stops the start (topics it names that the pack lacks are never chosen). */
function loadTopicRanker(directory: string): TopicRankerWeights | undefined {
  const file = relative(process.cwd(), join(directory, topicRankerFileName));
  try {
    return readTopicRanker(directory);
  } catch (error) {
    throw new KnowledgePackError([
      {
        file,
        message: `The learned topic ranker could not be read: ${error instanceof Error ? error.message : String(error)}`,
        fix: 'Run `npm run train:topics` to write it again, then commit it.',
      },
    ]);
  }
}

/** Every check, on every file; throws KnowledgePackError listing all the problems found. */
function checkPack(directory: string): KnowledgePack {
  const reader = new PackReader(directory);
  const identityFile = reader.read('pack.yaml', 'pack');
  const contactsFile = reader.read('contacts.yaml', 'contacts');
  const proceduresFile = reader.read('procedures.yaml', 'procedures');
  const routesFile = reader.read('reporting-routes.yaml', 'reporting-routes');
  const resourcesFile = reader.read('resources.yaml', 'resources');
  const synonymsFile = reader.read('language/synonyms.yaml', 'synonyms');
  const signalsFile = reader.read('language/immediate-risk-signals.yaml', 'immediate-risk-signals');
  const smallTalkFile = reader.read('language/small-talk.yaml', 'small-talk');
  const triageFile = reader.read('triage.yaml', 'triage');
  const topicFiles = reader.readTopics();

  // Cross-checks need every file to have the right shape; report shape problems first.
  if (reader.problems.length > 0) throw new KnowledgePackError(reader.problems);

  const identity = identityFile!.data as PackIdentity;
  const contacts = (contactsFile!.data as { contacts: Contact[] }).contacts;
  const procedures = (proceduresFile!.data as { procedures: Procedure[] }).procedures;
  const reportingRoutes = (routesFile!.data as { reportingRoutes: ReportingRoute[] }).reportingRoutes;
  const resources = (resourcesFile!.data as { resources: Resource[] }).resources;
  const topics = topicFiles.map((file) => file.data as Topic).sort((a, b) => a.id.localeCompare(b.id));

  const pack: KnowledgePack = {
    identity,
    contacts: reader.indexById(contactsFile!, 'contacts', contacts),
    procedures: reader.indexById(proceduresFile!, 'procedures', procedures),
    reportingRoutes: reader.indexById(routesFile!, 'reportingRoutes', reportingRoutes),
    resources: reader.indexById(resourcesFile!, 'resources', resources),
    sections: new Map(identity.sections.map((section) => [section.id, section])),
    topics,
    topicsById: new Map(topics.map((topic) => [topic.id, topic])),
    synonyms: (synonymsFile!.data as { synonyms: SynonymEntry[] }).synonyms,
    immediateRiskSignals: signalsFile!.data as ImmediateRiskSignals,
    smallTalk: smallTalkFile!.data as SmallTalk,
    triage: triageFile!.data as TriageDefinition,
  };

  reader.checkTopics(topicFiles, pack);
  reader.checkAgainstSource(pack, {
    contactsFile: contactsFile!,
    proceduresFile: proceduresFile!,
    routesFile: routesFile!,
    resourcesFile: resourcesFile!,
    identityFile: identityFile!,
  });
  reader.checkSynonyms(synonymsFile!, pack.synonyms);
  reader.checkSignals(signalsFile!, pack.immediateRiskSignals);
  reader.checkTriage(triageFile!, pack);
  if (reader.problems.length > 0) throw new KnowledgePackError(reader.problems);
  return pack;
}

class PackReader {
  readonly problems: PackProblem[] = [];
  /** Every file read, so the text of each can be checked against the source. */
  private readonly files: YamlFile[] = [];
  private readonly schemas: SchemaChecker;
  private readonly displayRoot: string;

  constructor(private readonly directory: string) {
    this.schemas = new SchemaChecker(join(directory, 'schema'));
    this.displayRoot = basename(directory);
  }

  read(relativePath: string, schema: SchemaName): YamlFile | undefined {
    const file = readYamlFile(join(this.directory, relativePath), `${this.displayRoot}/${relativePath}`);
    if (!isYamlFile(file)) {
      this.problems.push(file);
      return undefined;
    }
    const problems = this.schemas.check(schema, file);
    this.problems.push(...problems);
    if (problems.length > 0) return undefined;
    this.files.push(file);
    return file;
  }

  readTopics(): YamlFile[] {
    const topicDirectory = join(this.directory, 'topics');
    if (!existsSync(topicDirectory)) {
      this.problems.push({
        file: `${this.displayRoot}/topics/`,
        message: 'the topics folder is missing.',
        fix: 'Create it and add one YAML file per topic.',
      });
      return [];
    }
    const names = readdirSync(topicDirectory)
      .filter((name) => !name.startsWith('.'))
      .sort();
    const files: YamlFile[] = [];
    for (const name of names) {
      const displayPath = `${this.displayRoot}/topics/${name}`;
      if (!name.endsWith('.yaml')) {
        this.problems.push({
          file: displayPath,
          message: 'only .yaml files belong in the topics folder.',
          fix: 'Rename it to end in .yaml, or move it out of knowledge/topics/.',
        });
        continue;
      }
      const file = this.read(`topics/${name}`, 'topic');
      if (!file) continue;
      const id = (file.data as Topic).id;
      if (`${id}.yaml` !== name) {
        this.problems.push({
          file: displayPath,
          line: file.lineOf(['id']),
          entry: `"${id}"`,
          message: `the id "${id}" does not match the file name.`,
          fix: `Rename the file to ${id}.yaml, or change the id to "${name.replace(/\.yaml$/, '')}".`,
        });
        continue;
      }
      files.push(file);
    }
    if (files.length === 0 && this.problems.length === 0) {
      this.problems.push({ file: `${this.displayRoot}/topics/`, message: 'there are no topics.', fix: 'Add at least one topic file.' });
    }
    return files;
  }

  indexById<T extends { id: string }>(file: YamlFile, collection: string, items: T[]): Map<string, T> {
    const byId = new Map<string, T>();
    items.forEach((item, index) => {
      if (byId.has(item.id)) {
        this.problems.push({
          file: file.displayPath,
          line: file.lineOf([collection, index, 'id']),
          entry: `${collection}[${index}] "${item.id}"`,
          message: `the id "${item.id}" is used twice.`,
          fix: 'Give each entry its own id.',
        });
      }
      byId.set(item.id, item);
    });
    return byId;
  }

  checkTopics(files: YamlFile[], pack: KnowledgePack): void {
    const referenceKinds: Array<{ field: keyof Topic; target: Map<string, unknown>; where: string }> = [
      { field: 'contacts', target: pack.contacts, where: 'contacts.yaml' },
      { field: 'procedures', target: pack.procedures, where: 'procedures.yaml' },
      { field: 'reportingRoutes', target: pack.reportingRoutes, where: 'reporting-routes.yaml' },
      { field: 'resources', target: pack.resources, where: 'resources.yaml' },
      { field: 'followUps', target: pack.topicsById, where: 'topics/' },
    ];
    const phrasingOwners = new Map<string, string>();
    for (const file of files) {
      const topic = file.data as Topic;
      const entry = `topic "${topic.id}"`;
      if (!pack.sections.has(topic.section)) {
        this.problems.push({
          file: file.displayPath,
          line: file.lineOf(['section']),
          entry,
          message: `section "${topic.section}" is not a section in pack.yaml.`,
          fix: `Use one of: ${[...pack.sections.keys()].join(', ')}.`,
        });
      }
      for (const { field, target, where } of referenceKinds) {
        const ids = (topic[field] as string[] | undefined) ?? [];
        ids.forEach((id, index) => {
          if (!target.has(id)) {
            this.problems.push({
              file: file.displayPath,
              line: file.lineOf([field, index]),
              entry: `${entry} ${field}[${index}]`,
              message: `"${id}" does not exist in ${where}.`,
              fix:
                field === 'followUps'
                  ? `Correct the id, or create ${this.displayRoot}/topics/${id}.yaml.`
                  : `Correct the id, or add an entry with id "${id}" to ${where}.`,
            });
          }
        });
      }
      if (topic.followUps?.includes(topic.id)) {
        this.problems.push({
          file: file.displayPath,
          line: file.lineOf(['followUps']),
          entry,
          message: 'the topic lists itself as a follow-up.',
          fix: 'Remove its own id from followUps.',
        });
      }
      // The wordings of a topic's specific questions are matched as its phrasings too.
      const wordings: Array<[string, Array<string | number>]> = [
        ...topic.phrasings.map((phrasing, index): [string, Array<string | number>] => [phrasing, ['phrasings', index]]),
        ...(topic.questions ?? []).flatMap((question, questionIndex) =>
          question.asks.map((ask, index): [string, Array<string | number>] => [ask, ['questions', questionIndex, 'asks', index]]),
        ),
      ];
      wordings.forEach(([phrasing, path]) => {
        const key = phrasing
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, ' ')
          .trim();
        const owner = phrasingOwners.get(key);
        if (owner && owner !== topic.id) {
          this.problems.push({
            file: file.displayPath,
            line: file.lineOf(path),
            entry: `${entry} ${path
              .map((part) => (typeof part === 'number' ? `[${part}]` : `.${part}`))
              .join('')
              .slice(1)}`,
            message: `"${phrasing}" is also a phrasing of topic "${owner}", so the bot cannot tell which to answer.`,
            fix: 'Keep it in the topic that answers it best and reword or remove the other.',
          });
        }
        phrasingOwners.set(key, topic.id);
      });
    }
  }

  checkAgainstSource(
    pack: KnowledgePack,
    files: { contactsFile: YamlFile; proceduresFile: YamlFile; routesFile: YamlFile; resourcesFile: YamlFile; identityFile: YamlFile },
  ): void {
    const sourcePath = join(this.directory, pack.identity.source.file);
    if (!existsSync(sourcePath)) {
      this.problems.push({
        file: files.identityFile.displayPath,
        line: files.identityFile.lineOf(['source', 'file']),
        entry: 'source.file',
        message: `the procedure text "${pack.identity.source.file}" is missing, so contact details cannot be checked.`,
        fix: 'Put the published procedure text at that path (relative to knowledge/).',
      });
      return;
    }
    const source = new SourceText(readFileSync(sourcePath, 'utf8'));
    const notInSource = (file: YamlFile, path: (string | number)[], what: string, value: string, fix: string) =>
      this.problems.push({
        file: file.displayPath,
        line: file.lineOf(path),
        entry: describeEntry(file.data, path.slice(0, 2)),
        message: `${what} "${value}" does not appear word for word in the source procedure.`,
        fix,
      });

    [...pack.contacts.values()].forEach((contact, index) => {
      const at = (field: string) => ['contacts', index, field];
      if (contact.phone && !source.contains(contact.phone)) {
        notInSource(
          files.contactsFile,
          at('phone'),
          'phone number',
          contact.phone,
          'Copy the number exactly as the procedure prints it, spaces included, or remove it.',
        );
      }
      if (contact.email && !source.containsIgnoringCase(contact.email)) {
        notInSource(
          files.contactsFile,
          at('email'),
          'email address',
          contact.email,
          'Copy the address exactly as the procedure prints it, or remove it.',
        );
      }
      if (contact.hoursAsPublished && !source.contains(contact.hoursAsPublished)) {
        notInSource(
          files.contactsFile,
          at('hoursAsPublished'),
          'opening hours',
          contact.hoursAsPublished,
          'Copy the opening hours exactly as the procedure words them.',
        );
      }
      if (!structuredHoursMatchPublished(contact)) {
        this.problems.push({
          file: files.contactsFile.displayPath,
          line: files.contactsFile.lineOf(at('hours')),
          entry: `contacts[${index}] "${contact.id}"`,
          message: `"hours" does not say the same as "hoursAsPublished" ("${contact.hoursAsPublished}").`,
          fix: 'Make days, opens and closes match the published hours (24-hour times, e.g. 4pm is "16:00").',
        });
      }
      if (!source.containsIgnoringCase(contact.name)) {
        notInSource(
          files.contactsFile,
          at('name'),
          'name',
          contact.name,
          'Use the name as the procedure gives it (put any friendlier label in shortName).',
        );
      }
    });
    const checkNames = (file: YamlFile, collection: string, items: Array<{ name: string }>) =>
      items.forEach((item, index) => {
        if (!source.contains(item.name)) {
          notInSource(file, [collection, index, 'name'], 'name', item.name, 'Use the name exactly as the procedure gives it.');
        }
      });
    // Numbers, emails and times written anywhere else in the pack's text (contacts' own fields are checked above).
    for (const file of this.files) {
      const data = file === files.contactsFile ? withoutCheckedContactFields(file.data) : file.data;
      this.problems.push(...textFidelityProblems({ ...file, data }, source, { times: !file.displayPath.includes('/language/') }));
    }
    this.checkQuotedAnswers(source);
    checkNames(files.proceduresFile, 'procedures', [...pack.procedures.values()]);
    checkNames(files.routesFile, 'reportingRoutes', [...pack.reportingRoutes.values()]);
    checkNames(files.resourcesFile, 'resources', [...pack.resources.values()]);
    pack.identity.sections.forEach((section, index) => {
      if (!source.contains(section.startsWith)) {
        notInSource(
          files.identityFile,
          ['sections', index, 'startsWith'],
          'section start',
          section.startsWith,
          'Copy the first words of the section exactly from the procedure text.',
        );
      }
    });
  }

  /** A topic's direct answers are quotations of the procedure (see quoted-answer.ts). */
  private checkQuotedAnswers(source: SourceText): void {
    for (const file of this.files.filter((candidate) => candidate.displayPath.includes('/topics/'))) {
      const topic = file.data as Topic;
      const quoted: Array<[Array<string | number>, string]> = [
        ...(topic.directAnswer ? [[['directAnswer'], topic.directAnswer] as [Array<string | number>, string]] : []),
        ...(topic.questions ?? []).map((question, index): [Array<string | number>, string] => [
          ['questions', index, 'answer'],
          question.answer,
        ]),
      ];
      for (const [path, text] of quoted) {
        const problem = quoteProblem(text, source);
        if (!problem) continue;
        const line = file.lineOf(path);
        this.problems.push({
          file: file.displayPath,
          ...(line !== undefined ? { line } : {}),
          entry: `topic "${topic.id}" ${path
            .map((part) => (typeof part === 'number' ? `[${part}]` : part))
            .join('.')
            .replace('.[', '[')}`,
          message: `the direct answer is not the procedure's own words: ${problem.message}`,
          fix: problem.fix,
        });
      }
    }
  }

  checkSynonyms(file: YamlFile, synonyms: SynonymEntry[]): void {
    const meaningOf = new Map<string, string>();
    synonyms.forEach((entry, index) => {
      entry.words.forEach((word, wordIndex) => {
        const key = word.toLowerCase().trim();
        const earlier = meaningOf.get(key);
        if (earlier !== undefined && earlier !== entry.means) {
          this.problems.push({
            file: file.displayPath,
            line: file.lineOf(['synonyms', index, 'words', wordIndex]),
            entry: `synonyms[${index}] "${entry.means}"`,
            message: `"${word}" already means "${earlier}".`,
            fix: 'A word can mean only one thing: remove it from one of the two entries.',
          });
        }
        meaningOf.set(key, entry.means);
      });
    });
  }

  checkTriage(file: YamlFile, pack: KnowledgePack): void {
    const missing = (id: string, path: (string | number)[]) =>
      this.problems.push({
        file: file.displayPath,
        line: file.lineOf(path),
        entry: path.join('.'),
        message: `topic "${id}" does not exist.`,
        fix: `Correct the id, or create ${this.displayRoot}/topics/${id}.yaml.`,
      });
    for (const step of ['immediateRisk', 'involvesStaff'] as const) {
      if (!pack.topicsById.has(pack.triage[step].topic)) missing(pack.triage[step].topic, [step, 'topic']);
    }
    for (const step of ['about', 'seriousness'] as const) {
      const seen = new Set<string>();
      pack.triage[step].choices.forEach((choice, index) => {
        if (seen.has(choice.id)) {
          this.problems.push({
            file: file.displayPath,
            line: file.lineOf([step, 'choices', index, 'id']),
            entry: `${step}.choices[${index}]`,
            message: `the choice id "${choice.id}" is used twice.`,
            fix: 'Give each choice its own id.',
          });
        }
        seen.add(choice.id);
        choice.topics.forEach((id, topicIndex) => {
          if (!pack.topicsById.has(id)) missing(id, [step, 'choices', index, 'topics', topicIndex]);
        });
      });
    }
  }

  checkSignals(file: YamlFile, signals: ImmediateRiskSignals): void {
    signals.signals.forEach((signal, index) => {
      (signal.all ?? []).forEach((group, groupIndex) => {
        const listNames = (typeof group === 'string' ? [group] : group).filter((phrase) => phrase.startsWith('$'));
        for (const listName of listNames) {
          if (listName.slice(1) in signals.lists) continue;
          this.problems.push({
            file: file.displayPath,
            line: file.lineOf(['signals', index, 'all', groupIndex]),
            entry: `signals[${index}] "${signal.id}"`,
            message: `the word list "${listName}" is not defined.`,
            fix: `Use one of: ${Object.keys(signals.lists)
              .map((name) => `$${name}`)
              .join(', ')}, or add it under "lists".`,
          });
        }
      });
    });
  }
}

/** contacts.yaml without the fields checked one by one above (phone, email, published hours), so no problem is reported twice. */
function withoutCheckedContactFields(data: unknown): unknown {
  const { contacts } = data as { contacts: Array<Record<string, unknown>> };
  return { ...(data as object), contacts: contacts.map(({ phone: _phone, email: _email, hoursAsPublished: _hours, ...rest }) => rest) };
}
