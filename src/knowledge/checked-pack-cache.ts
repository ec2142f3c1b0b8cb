import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';
import type { KnowledgePack } from './pack-types.js';

/**
 * Remembers a knowledge pack that passed every check, keyed by a fingerprint of every pack file
 * and of the checking code itself. Start-up then skips re-parsing and re-checking files that have
 * not changed by a single byte; any edit, to the pack or to the checks, means a full check again.
 */

const checkerDirectory = dirname(fileURLToPath(import.meta.url));
const defaultCacheDirectory = resolve(checkerDirectory, '..', '..', 'node_modules', '.cache', 'safeguarding-assistant');

type StoredPack = Omit<KnowledgePack, 'contacts' | 'procedures' | 'reportingRoutes' | 'resources' | 'sections' | 'topicsById'>;

export class CheckedPackCache {
  constructor(private readonly directory: string = process.env.PACK_CACHE_DIR || defaultCacheDirectory) {}

  /** SHA-256 over every file of the pack and of the code that checks it. */
  fingerprint(packDirectory: string): string {
    const hash = createHash('sha256');
    for (const root of [packDirectory, checkerDirectory]) {
      for (const file of filesUnder(root)) {
        hash.update(relative(root, file));
        hash.update('\0');
        hash.update(readFileSync(file));
        hash.update('\0');
      }
    }
    return hash.digest('hex');
  }

  read(fingerprint: string): KnowledgePack | undefined {
    try {
      const stored = JSON.parse(readFileSync(this.fileFor(fingerprint), 'utf8')) as StoredPack & {
        contacts: KnowledgePack['contacts'] extends Map<string, infer T> ? T[] : never;
        procedures: KnowledgePack['procedures'] extends Map<string, infer T> ? T[] : never;
        reportingRoutes: KnowledgePack['reportingRoutes'] extends Map<string, infer T> ? T[] : never;
        resources: KnowledgePack['resources'] extends Map<string, infer T> ? T[] : never;
      };
      const byId = <T extends { id: string }>(items: T[]) => new Map(items.map((item) => [item.id, item]));
      return {
        identity: stored.identity,
        contacts: byId(stored.contacts),
        procedures: byId(stored.procedures),
        reportingRoutes: byId(stored.reportingRoutes),
        resources: byId(stored.resources),
        sections: byId(stored.identity.sections),
        topics: stored.topics,
        topicsById: byId(stored.topics),
        synonyms: stored.synonyms,
        immediateRiskSignals: stored.immediateRiskSignals,
        smallTalk: stored.smallTalk,
        triage: stored.triage,
      };
    } catch {
      return undefined;
    }
  }

  /** Best effort: a read-only disk only means the next start checks everything again. */
  write(fingerprint: string, pack: KnowledgePack): void {
    try {
      mkdirSync(this.directory, { recursive: true });
      const stored = {
        identity: pack.identity,
        contacts: [...pack.contacts.values()],
        procedures: [...pack.procedures.values()],
        reportingRoutes: [...pack.reportingRoutes.values()],
        resources: [...pack.resources.values()],
        topics: pack.topics,
        synonyms: pack.synonyms,
        immediateRiskSignals: pack.immediateRiskSignals,
        smallTalk: pack.smallTalk,
        triage: pack.triage,
      };
      const file = this.fileFor(fingerprint);
      // The engine thread loads the pack too: each thread writes a file of its own, then renames it.
      const temporary = `${file}.${process.pid}.${threadId}.tmp`;
      writeFileSync(temporary, JSON.stringify(stored));
      renameSync(temporary, file);
    } catch {
      // Nothing to do: the cache is an optimisation.
    }
  }

  private fileFor(fingerprint: string): string {
    return join(this.directory, `checked-pack-${fingerprint}.json`);
  }
}

function filesUnder(root: string): string[] {
  const files: string[] = [];
  const walk = (directory: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && !entry.name.endsWith('.map')) files.push(path);
    }
  };
  walk(root);
  return files;
}
