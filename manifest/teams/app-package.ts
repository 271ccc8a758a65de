import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TeamsPackageSettings } from './package-settings.ts';
import { TeamsPackageError } from './package-settings.ts';
import { zipArchive } from './zip.ts';

/** Where manifest.json, color.png and outline.png live: next to this file. */
export const TEAMS_MANIFEST_DIR = fileURLToPath(new URL('.', import.meta.url));

/**
 * The values manifest.json's `{{NAME}}` placeholders stand for. The app's own id is the bot's id — common practice for
 * a bot-only app, and one setting fewer; the cost is one Teams app per bot registration.
 */
export function manifestValues(settings: TeamsPackageSettings): Record<string, string> {
  return {
    MicrosoftAppId: settings.MicrosoftAppId,
    // validDomains takes a host (with its port, if any), never a URL.
    PUBLIC_HOST: new URL(settings.PUBLIC_URL).host,
  };
}

const PLACEHOLDER = /\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}/g;

/**
 * The manifest with every `{{NAME}}` in its strings replaced. Replacing inside parsed strings (not in the JSON text)
 * means no value can break the JSON; a placeholder without a value is an error rather than a broken app.
 */
export function fillManifest(template: unknown, values: Record<string, string>): unknown {
  if (typeof template === 'string') {
    return template.replace(PLACEHOLDER, (_, name: string) => {
      const value = values[name];
      if (value === undefined) throw new TeamsPackageError(`manifest.json uses {{${name}}}, which has no value`);
      return value;
    });
  }
  if (Array.isArray(template)) return template.map((item) => fillManifest(item, values));
  if (template !== null && typeof template === 'object') {
    return Object.fromEntries(Object.entries(template).map(([key, item]) => [key, fillManifest(item, values)]));
  }
  return template;
}

/** The Teams app package for these settings: manifest.json, color.png and outline.png at the zip's root. */
export function buildTeamsAppPackage(settings: TeamsPackageSettings, sourceDir: string = TEAMS_MANIFEST_DIR): Buffer {
  const read = (name: string) => readFileSync(join(sourceDir, name));
  const template: unknown = JSON.parse(read('manifest.json').toString('utf8'));
  const manifest = fillManifest(template, manifestValues(settings));
  return zipArchive([
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') },
    { name: 'color.png', data: read('color.png') },
    { name: 'outline.png', data: read('outline.png') },
  ]);
}
