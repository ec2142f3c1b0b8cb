import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import AdmZip from 'adm-zip';

/**
 * `npm run package:teams`: builds the Teams app package (manifest.json and the two icons in a zip)
 * from manifest/teams/manifest.template.json and the environment, after checking the manifest
 * against Microsoft's published schema for its version (bundled in @microsoft/app-manifest, so
 * this works offline).
 */

const require = createRequire(import.meta.url);
const projectRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const teamsDirectory = join(projectRoot, 'manifest', 'teams');

const settings: Array<{ name: string; help: string; pattern: RegExp; fallback?: () => string }> = [
  {
    name: 'MicrosoftAppId',
    help: "the Azure Bot registration's Microsoft App ID (a GUID)",
    pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  },
  {
    name: 'TEAMS_APP_ID',
    help: 'a GUID identifying the Teams app (defaults to MicrosoftAppId)',
    pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    fallback: () => process.env.MicrosoftAppId ?? '',
  },
  {
    name: 'BOT_DOMAIN',
    help: 'the public host name the bot is served from, e.g. bot.example.org (no https://)',
    pattern: /^(?!https?:)[a-z0-9.-]+\.[a-z]{2,}$/i,
  },
  { name: 'TEAMS_DEVELOPER_NAME', help: 'the organisation that publishes the app', pattern: /^.{2,32}$/ },
  { name: 'TEAMS_WEBSITE_URL', help: "the publisher's https:// web page about the app", pattern: /^https:\/\/\S+$/ },
  { name: 'TEAMS_PRIVACY_URL', help: 'the https:// privacy notice for the app', pattern: /^https:\/\/\S+$/ },
  { name: 'TEAMS_TERMS_URL', help: 'the https:// terms of use for the app', pattern: /^https:\/\/\S+$/ },
];

function readSettings(): Record<string, string> {
  const values: Record<string, string> = {};
  const problems: string[] = [];
  for (const setting of settings) {
    const value = (process.env[setting.name] || setting.fallback?.() || '').trim();
    if (!value) problems.push(`${setting.name} is not set: ${setting.help}.`);
    else if (!setting.pattern.test(value)) problems.push(`${setting.name} "${value}" is not valid: it must be ${setting.help}.`);
    values[setting.name] = value;
  }
  if (problems.length > 0) {
    console.error(
      `Cannot build the Teams app package:\n${problems.map((problem) => `  - ${problem}`).join('\n')}\nSet them in .env or the environment (see .env.example).`,
    );
    process.exit(1);
  }
  values.APP_VERSION = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
  return values;
}

function fillTemplate(values: Record<string, string>): Record<string, unknown> {
  const template = readFileSync(join(teamsDirectory, 'manifest.template.json'), 'utf8');
  const filled = template.replace(/\{\{([A-Za-z_]+)\}\}/g, (placeholder, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`manifest.template.json uses ${placeholder}, which has no value.`);
    return JSON.stringify(value).slice(1, -1);
  });
  return JSON.parse(filled) as Record<string, unknown>;
}

async function validateAgainstSchema(manifest: Record<string, unknown>): Promise<string[]> {
  const { ManifestUtil } = require('@microsoft/app-manifest') as {
    ManifestUtil: { validateManifestAgainstSchema(manifest: unknown, schema: unknown): Promise<string[]> };
  };
  const version = String(manifest.manifestVersion);
  const schemaPath = require.resolve(`@microsoft/app-manifest/build/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`);
  return ManifestUtil.validateManifestAgainstSchema(manifest, JSON.parse(readFileSync(schemaPath, 'utf8')));
}

function pngSize(path: string): { width: number; height: number } {
  const header = readFileSync(path);
  return { width: header.readUInt32BE(16), height: header.readUInt32BE(20) };
}

async function main(): Promise<void> {
  if (existsSync(join(projectRoot, '.env'))) process.loadEnvFile(join(projectRoot, '.env'));
  const outArgument = process.argv.indexOf('--out');
  const output = resolve(
    outArgument > 0 ? process.argv[outArgument + 1]! : join(projectRoot, 'dist', 'teams-app', 'safeguarding-assistant-teams.zip'),
  );
  const manifest = fillTemplate(readSettings());
  const problems = await validateAgainstSchema(manifest);
  for (const [icon, size] of [
    ['color.png', 192],
    ['outline.png', 32],
  ] as const) {
    const { width, height } = pngSize(join(teamsDirectory, icon));
    if (width !== size || height !== size) problems.push(`${icon} is ${width}x${height}; Teams needs ${size}x${size}.`);
  }
  if (problems.length > 0) {
    console.error(
      `The Teams manifest is not valid against schema v${String(manifest.manifestVersion)}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
    process.exit(1);
  }
  const zip = new AdmZip();
  zip.addFile('manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
  zip.addLocalFile(join(teamsDirectory, 'color.png'));
  zip.addLocalFile(join(teamsDirectory, 'outline.png'));
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(output, zip.toBuffer());
  console.log(
    `Teams app package written to ${output} (manifest v${String(manifest.manifestVersion)}, valid against its schema). Upload it in Teams: Apps > Manage your apps > Upload an app.`,
  );
}

await main();
