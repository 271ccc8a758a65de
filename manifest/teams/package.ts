import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildTeamsAppPackage } from './app-package.ts';
import { readTeamsPackageSettings } from './package-settings.ts';

/**
 * `npm run teams:package [-- --out <file.zip>]`: builds the Teams app package from manifest/teams/ with the bot id
 * (MicrosoftAppId) and public host (PUBLIC_URL) from the environment. Writes dist/switchboard-teams.zip by default.
 * On a bad setting it prints one line naming it and writes nothing.
 */
const DEFAULT_OUT = 'dist/switchboard-teams.zip';

try {
  const { values } = parseArgs({ options: { out: { type: 'string' } }, strict: true, allowPositionals: false });
  const settings = readTeamsPackageSettings(process.env);
  const out = resolve(values.out ?? DEFAULT_OUT);
  const archive = buildTeamsAppPackage(settings);

  // Written next to its final name and renamed, so a failed run never leaves half a zip behind.
  mkdirSync(dirname(out), { recursive: true });
  const partial = `${out}.${process.pid}.partial`;
  writeFileSync(partial, archive);
  renameSync(partial, out);
  console.log(`Teams app package for bot ${settings.MicrosoftAppId} at ${new URL(settings.PUBLIC_URL).host}: ${out}`);
} catch (error) {
  console.error(`teams:package: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
