import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Request, Response, Server } from 'restify';

const require = createRequire(import.meta.url);
const projectRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const webDirectory = join(projectRoot, 'src', 'playground', 'web');

/** No request from the page may leave this server. */
const contentSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

interface Asset {
  path: string;
  file: string;
  type: string;
}

/** Every file the playground page loads, from this project and its own dependencies: no CDN. */
function assets(): Asset[] {
  const packageDirectory = (name: string) => dirname(require.resolve(`${name}/package.json`));
  return [
    { path: '/', file: join(webDirectory, 'index.html'), type: 'text/html; charset=utf-8' },
    { path: '/playground/app.js', file: join(webDirectory, 'app.js'), type: 'text/javascript; charset=utf-8' },
    { path: '/playground/app.css', file: join(webDirectory, 'app.css'), type: 'text/css; charset=utf-8' },
    { path: '/playground/host-config.json', file: join(webDirectory, 'host-config.json'), type: 'application/json; charset=utf-8' },
    { path: '/playground/icon.png', file: join(projectRoot, 'manifest', 'teams', 'color.png'), type: 'image/png' },
    {
      path: '/vendor/adaptivecards.min.js',
      file: join(packageDirectory('adaptivecards'), 'dist', 'adaptivecards.min.js'),
      type: 'text/javascript; charset=utf-8',
    },
    {
      path: '/vendor/markdown-it.min.js',
      file: join(packageDirectory('markdown-it'), 'dist', 'browser', 'markdown-it.umd.min.js'),
      type: 'text/javascript; charset=utf-8',
    },
  ];
}

export function registerPlaygroundAssets(server: Server): void {
  for (const asset of assets()) {
    const body = readFileSync(asset.file);
    server.get(asset.path, (_request: Request, response: Response, next) => {
      response.writeHead(200, {
        'content-type': asset.type,
        'content-length': body.length,
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
        'content-security-policy': contentSecurityPolicy,
        'referrer-policy': 'no-referrer',
      });
      response.end(body);
      return next();
    });
  }
}
