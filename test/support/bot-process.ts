import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const mainScript = join(projectRoot, 'src', 'main.ts');
// Resolved here, so the child can run in a folder of its own (with no .env to pick up).
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** performance.now() in this process when the child exited. */
  at: number;
}

export interface BotProcess {
  child: ChildProcess;
  /** Set once the bot logged that it listens. */
  baseUrl: string;
  /** Standard output, line by line: the bot's JSON logs. */
  stdout: string[];
  stderr(): string;
  exited: Promise<Exit>;
  /** Log lines parsed, for checking events. */
  events(): Array<Record<string, unknown>>;
  kill(): Promise<void>;
}

/**
 * Runs the real bot (`src/main.ts`, as `npm start` runs its build) as a child process in an empty
 * folder, with only the given settings on top of a minimal environment. Waits for it to listen,
 * or to exit (start-up failures).
 */
export function runBot(settings: Record<string, string>, options: { waitForListening?: boolean } = {}): Promise<BotProcess> {
  const folder = mkdtempSync(join(tmpdir(), 'safeguarding-bot-'));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: folder,
    PORT: '0',
    HOST: '127.0.0.1',
    PLAYGROUND: 'off',
    DATA_DIR: join(folder, 'data'),
    ...(process.env.KNOWLEDGE_DIR ? { KNOWLEDGE_DIR: process.env.KNOWLEDGE_DIR } : {}),
    ...settings,
  };
  const child = spawn(process.execPath, ['--import', tsxLoader, '--disable-warning=DEP0111', mainScript], {
    cwd: folder,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  let stderr = '';
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    stdout.push(...lines.filter(Boolean));
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve({ code, signal, at: performance.now() });
      rmSync(folder, { recursive: true, force: true });
    });
  });
  const events = () =>
    stdout.flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  const bot: BotProcess = {
    child,
    baseUrl: '',
    stdout,
    stderr: () => stderr,
    exited,
    events,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  if (options.waitForListening === false) return Promise.resolve(bot);
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const started = events().find((event) => event.event === 'started');
      if (started) {
        clearInterval(timer);
        bot.baseUrl = `http://127.0.0.1:${String(started.port)}`;
        resolve(bot);
      }
    }, 20);
    void exited.then((exit) => {
      clearInterval(timer);
      reject(new Error(`the bot exited (${exit.code ?? exit.signal}) before listening: ${stderr}`));
    });
  });
}
