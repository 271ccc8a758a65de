import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTeamsAppPackage, fillManifest } from '../../manifest/teams/app-package.ts';
import { drawColorIcon, drawOutlineIcon, ICON_BLUE } from '../../manifest/teams/icons.ts';
import { readTeamsPackageSettings, TeamsPackageError } from '../../manifest/teams/package-settings.ts';
import { zipArchive } from '../../manifest/teams/zip.ts';
import { LOOK_UP_NUMBERS_COMMAND_ID, LOOK_UP_NUMBERS_TITLE } from '../../src/bot/teams/message-action.ts';
import { parseCommand } from '../../src/handlers/parse-command.ts';
import { helpWording } from '../../src/handlers/wording.ts';
import { decodePng } from './png-reader.ts';
import type { DecodedPng } from './png-reader.ts';
import { readZip } from './zip-reader.ts';
import type { ZipFile } from './zip-reader.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const packageScript = join(repo, 'manifest/teams/package.ts');
const tsx = join(repo, 'node_modules/.bin/tsx');
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const BOT_ID = '6c1f0a52-93d4-4e8b-b7a1-2f5e9c3d8a40';
const HOST = 'switchboard.contoso.example';

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `npm run teams:package` as npm would (tsx manifest/teams/package.ts), with only the given settings. */
async function runPackageScript(settings: Record<string, string>, args: string[], cwd: string): Promise<RunResult> {
  const { MicrosoftAppId: _id, PUBLIC_URL: _url, ...inherited } = process.env;
  try {
    const { stdout, stderr } = await promisify(execFile)(tsx, [packageScript, ...args], { cwd, env: { ...inherited, ...settings } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

const fileIn = (files: ZipFile[], name: string): Buffer => {
  const file = files.find((candidate) => candidate.name === name);
  if (file === undefined) throw new Error(`${name} is not in the package`);
  return file.data;
};

const pixelAt = (image: DecodedPng, index: number) => ({
  r: image.pixels[index * 4] ?? -1,
  g: image.pixels[index * 4 + 1] ?? -1,
  b: image.pixels[index * 4 + 2] ?? -1,
  a: image.pixels[index * 4 + 3] ?? -1,
});
const pixelsOf = (image: DecodedPng) => Array.from({ length: image.width * image.height }, (_, index) => pixelAt(image, index));

// The manifest parsed from the built package, in the shape the tests read; the schema test checks all of it.
interface BuiltManifest {
  id: string;
  manifestVersion: string;
  developer: Record<string, string>;
  name: { short: string };
  description: { short: string };
  accentColor: string;
  bots: Array<{
    botId: string;
    scopes: string[];
    commandLists: Array<{ scopes: string[]; commands: Array<{ title: string; description: string }> }>;
  }>;
  composeExtensions?: Array<{
    botId: string;
    commands: Array<{ id: string; type: string; title: string; context: string[]; fetchTask: boolean }>;
  }>;
  validDomains: string[];
}

describe('npm run teams:package', () => {
  let workDir: string;
  let packageRun: RunResult;
  let files: ZipFile[];
  let manifestText: string;
  let manifest: BuiltManifest;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'switchboard-teams-'));
    packageRun = await runPackageScript({ MicrosoftAppId: BOT_ID, PUBLIC_URL: `https://${HOST}` }, ['--out', 'out/app.zip'], workDir);
    files = readZip(readFileSync(join(workDir, 'out/app.zip')));
    manifestText = fileIn(files, 'manifest.json').toString('utf8');
    manifest = JSON.parse(manifestText) as BuiltManifest;
  });

  afterAll(() => {
    rmSync(workDir, { recursive: true, force: true });
  });

  it('builds a zip holding exactly manifest.json, color.png and outline.png at its root', () => {
    expect(packageRun.code, packageRun.stderr).toBe(0);
    expect(files.map((file) => file.name).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
  });

  it('puts the committed icons in the package unchanged', () => {
    expect(fileIn(files, 'color.png').equals(readFileSync(join(repo, 'manifest/teams/color.png')))).toBe(true);
    expect(fileIn(files, 'outline.png').equals(readFileSync(join(repo, 'manifest/teams/outline.png')))).toBe(true);
  });

  it('writes the bot id from MicrosoftAppId and the host from PUBLIC_URL into the manifest', () => {
    expect(manifest.id).toBe(BOT_ID);
    expect(manifest.bots.map((bot) => bot.botId)).toEqual([BOT_ID]);
    expect(manifest.validDomains).toEqual([HOST]);
    for (const url of Object.values(manifest.developer).filter((value) => value.includes('://'))) {
      expect(url.startsWith(`https://${HOST}/`), url).toBe(true);
    }
    expect(manifestText).not.toMatch(/\{\{|\}\}/);
  });

  it('names the app and describes it as the Teams store shows it', () => {
    expect(manifest.name.short).toBe('Switchboard');
    expect(manifest.description.short).toBe('Look up RingCentral extensions and phone numbers');
    const blue = `#${[ICON_BLUE.r, ICON_BLUE.g, ICON_BLUE.b].map((part) => part.toString(16).padStart(2, '0')).join('')}`;
    expect(manifest.accentColor.toLowerCase()).toBe(blue);
  });

  it('is valid against the official Teams app manifest schema v1.30', () => {
    const schema: unknown = JSON.parse(readFileSync(join(repo, 'test/fixtures/teams-manifest-v1.30.schema.json'), 'utf8'));
    // The schema declares draft-04 but uses later keywords (const, if/then); Ajv reads it as draft-07, whose meaning
    // is the same for every keyword in it, so only the meta-schema check is skipped.
    const ajv = addFormats(new Ajv({ strict: false, allErrors: true, validateSchema: false }));
    const validate = ajv.compile(schema as object);
    expect(validate(manifest), ajv.errorsText(validate.errors)).toBe(true);
    expect(manifest.manifestVersion).toBe('1.30');
  });

  it('offers the bot in personal chats, teams and group chats', () => {
    expect([...(manifest.bots[0]?.scopes ?? [])].sort()).toEqual(['groupChat', 'personal', 'team']);
  });

  it('lists every command the bot answers, for personal, team and group chat scopes', () => {
    const commandLists = manifest.bots[0]?.commandLists ?? [];
    const scopesListed = commandLists.flatMap((list) => list.scopes);
    expect([...scopesListed].sort()).toEqual(['groupChat', 'personal', 'team']);

    const everyCommand = Object.keys(helpWording).sort();
    for (const list of commandLists) {
      expect(list.commands.map((command) => command.title).sort(), list.scopes.join()).toEqual(everyCommand);
      for (const command of list.commands) {
        // A command picked from Teams' list is sent as its title: the bot must read it as that command.
        const parsed = parseCommand(command.title);
        expect(parsed.ok && parsed.command.name, command.title).toBe(command.title);
        expect(command.description.length).toBeGreaterThan(0);
      }
    }
  });

  it('declares the Look up phone numbers message action, answered by the bot in a dialog it fetches', () => {
    expect(manifest.composeExtensions).toEqual([
      {
        botId: BOT_ID,
        commands: [
          {
            id: LOOK_UP_NUMBERS_COMMAND_ID,
            type: 'action',
            title: LOOK_UP_NUMBERS_TITLE,
            description: expect.stringContaining('Only you see the answer') as unknown,
            context: ['message'],
            fetchTask: true,
          },
        ],
      },
    ]);
  });

  it('gives the colour icon 192×192 and the outline icon 32×32 pixels', () => {
    const color = decodePng(fileIn(files, 'color.png'));
    const outline = decodePng(fileIn(files, 'outline.png'));
    expect([color.width, color.height]).toEqual([192, 192]);
    expect([outline.width, outline.height]).toEqual([32, 32]);
  });

  it('draws the outline icon in white only, on a transparent background', () => {
    const pixels = pixelsOf(decodePng(fileIn(files, 'outline.png')));
    expect(pixels.filter((pixel) => pixel.a > 0 && (pixel.r !== 255 || pixel.g !== 255 || pixel.b !== 255))).toEqual([]);
    // Teams draws the outline icon itself: it must have a transparent background and a solid symbol.
    const [topLeft] = pixels;
    expect(topLeft?.a).toBe(0);
    expect(pixels.filter((pixel) => pixel.a === 0).length).toBeGreaterThan(pixels.length / 3);
    expect(pixels.filter((pixel) => pixel.a === 255).length).toBeGreaterThan(pixels.length / 10);
  });

  it('draws the colour icon as a full opaque square, blue with a white symbol', () => {
    const pixels = pixelsOf(decodePng(fileIn(files, 'color.png')));
    // Teams rounds the corners itself and asks for a full square.
    expect(pixels.filter((pixel) => pixel.a !== 255)).toEqual([]);
    const isBlue = (pixel: { r: number; g: number; b: number }) =>
      pixel.r === ICON_BLUE.r && pixel.g === ICON_BLUE.g && pixel.b === ICON_BLUE.b;
    const isWhite = (pixel: { r: number; g: number; b: number }) => pixel.r === 255 && pixel.g === 255 && pixel.b === 255;
    expect(pixels.filter(isBlue).length).toBeGreaterThan(pixels.length / 2);
    expect(pixels.filter(isWhite).length).toBeGreaterThan(pixels.length / 20);
  });

  it('stops on a bad MicrosoftAppId with one line naming it, and writes no zip', async () => {
    const run = await runPackageScript({ MicrosoftAppId: 'my-bot', PUBLIC_URL: `https://${HOST}` }, [], workDir);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('MicrosoftAppId must be a GUID');
    expect(existsSync(join(workDir, 'dist'))).toBe(false);
  });
});

describe('Teams package settings', () => {
  const good = { MicrosoftAppId: BOT_ID, PUBLIC_URL: `https://${HOST}` };
  const problemWith = (env: NodeJS.ProcessEnv): string => {
    try {
      readTeamsPackageSettings(env);
    } catch (error) {
      if (error instanceof TeamsPackageError) return error.message;
      throw error;
    }
    return 'accepted';
  };

  it('names a missing or malformed setting in one line', () => {
    expect(problemWith({ PUBLIC_URL: good.PUBLIC_URL })).toBe('MicrosoftAppId is not set');
    expect(problemWith({ ...good, MicrosoftAppId: '  ' })).toBe('MicrosoftAppId is not set');
    expect(problemWith({ ...good, MicrosoftAppId: '6c1f0a52-93d4-4e8b-b7a1' })).toBe('MicrosoftAppId must be a GUID');
    expect(problemWith({ MicrosoftAppId: BOT_ID })).toBe('PUBLIC_URL is not set');
    expect(problemWith({ ...good, PUBLIC_URL: 'switchboard.contoso.example' })).toBe('PUBLIC_URL must be an https:// URL');
  });

  it('refuses a plain http PUBLIC_URL, since Teams reaches bots over https only', () => {
    expect(problemWith({ ...good, PUBLIC_URL: `http://${HOST}` })).toBe('PUBLIC_URL must be an https:// URL');
  });

  it('builds the same bytes from the same settings, and different ones for another bot', () => {
    const settings = readTeamsPackageSettings(good);
    const again = buildTeamsAppPackage(settings);
    expect(buildTeamsAppPackage(settings).equals(again)).toBe(true);
    const otherBot = buildTeamsAppPackage(readTeamsPackageSettings({ ...good, MicrosoftAppId: '0bd5e0a5-1b2c-4d3e-8f90-123456789abc' }));
    expect(otherBot.equals(again)).toBe(false);
  });

  it('refuses a manifest placeholder that has no value rather than shipping it', () => {
    expect(() => fillManifest({ developer: { websiteUrl: 'https://{{PUBLIC_HOSTNAME}}/' } }, { PUBLIC_HOST: HOST })).toThrow(
      /\{\{PUBLIC_HOSTNAME\}\}/,
    );
  });
});

describe('ZIP writer', () => {
  it('reads back every entry byte for byte, deflating text and storing what deflate cannot shrink', () => {
    const text = Buffer.from('ext 101\n'.repeat(500));
    const noise = randomBytes(4096);
    const files = readZip(
      zipArchive([
        { name: 'text.txt', data: text },
        { name: 'noise.bin', data: noise },
        { name: 'empty', data: new Uint8Array(0) },
      ]),
    );
    expect(files.map((file) => [file.name, file.method])).toEqual([
      ['text.txt', 8],
      ['noise.bin', 0],
      ['empty', 0],
    ]);
    expect(files[0]?.data.equals(text)).toBe(true);
    expect(files[1]?.data.equals(noise)).toBe(true);
    expect(files[2]?.data.length).toBe(0);
  });

  it('refuses entry names that would escape or collide', () => {
    const data = new Uint8Array([1]);
    for (const name of ['', '/etc/passwd', '../manifest.json', 'a\\b']) {
      expect(() => zipArchive([{ name, data }]), name).toThrow(RangeError);
    }
    expect(() =>
      zipArchive([
        { name: 'a', data },
        { name: 'a', data },
      ]),
    ).toThrow(/two ZIP entries/);
  });
});

describe('Teams icons', () => {
  it('are committed as make-icons.ts draws them', () => {
    for (const [file, drawn] of [
      ['color.png', drawColorIcon()],
      ['outline.png', drawOutlineIcon()],
    ] as const) {
      const committed = decodePng(readFileSync(join(repo, 'manifest/teams', file)));
      expect([committed.width, committed.height], file).toEqual([drawn.width, drawn.height]);
      // Allow one supersample's worth (1/25) of difference, in case another JS engine rounds an edge differently.
      let largest = 0;
      committed.pixels.forEach((value, index) => {
        largest = Math.max(largest, Math.abs(value - (drawn.pixels[index] ?? 0)));
      });
      expect(largest, `${file}: run npx tsx manifest/teams/make-icons.ts`).toBeLessThanOrEqual(11);
    }
  });
});
