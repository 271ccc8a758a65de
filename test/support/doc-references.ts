import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { formatCommand, parseCommand } from '../../src/handlers/parse-command.ts';

/*
 * What the documents claim about the code: the settings they name and the commands they tell people to type. Read
 * from the text, so a document that names a renamed setting or a command the bot no longer answers is found.
 */

export type Doc = { path: string; text: string };

/** A name in a document that the code does not have. */
export type Finding = { path: string; name: string };

/** README.md, docs/*.md and .env.example, as a newcomer reads them. */
export function readDocs(root: string): Doc[] {
  const paths = [
    'README.md',
    '.env.example',
    ...readdirSync(join(root, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .map((name) => `docs/${name}`),
  ];
  return paths.map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }));
}

// Settings are written as the environment spells them: SLACK_BOT_TOKEN, PORT, and Bot Framework's MicrosoftAppId.
const UNDERSCORED_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;
const BOT_FRAMEWORK_NAME = /^MicrosoftApp[A-Z][A-Za-z]*$/;
const ONE_WORD_NAME = /^[A-Z][A-Z0-9]{2,}$/;
// Upper-case words in backticks that are no setting.
const NOT_SETTINGS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

const looksLikeSetting = (name: string) => UNDERSCORED_NAME.test(name) || BOT_FRAMEWORK_NAME.test(name);

/**
 * The setting-like names a document uses: a backtick span that is a name (`PORT`, `REDIS_URL`) or starts with
 * NAME= (`PUBLIC_URL=https://…`), and NAME= anywhere (.env.example's lines, a shell command). In .env.example the
 * comments are plain text, so setting-shaped words there count too.
 */
export function namedSettings(doc: Doc): Set<string> {
  const names = new Set<string>();
  for (const [, span = ''] of doc.text.matchAll(/`([^`\n]+)`/g)) {
    const name = /^([A-Za-z][A-Za-z0-9_]*)(?:=|$)/.exec(span.trim())?.[1];
    if (name !== undefined && !NOT_SETTINGS.has(name) && (looksLikeSetting(name) || ONE_WORD_NAME.test(name))) names.add(name);
  }
  for (const [, name = ''] of doc.text.matchAll(/(?<![A-Za-z0-9_$.])([A-Za-z][A-Za-z0-9_]*)=/g)) {
    if (looksLikeSetting(name) || (ONE_WORD_NAME.test(name) && !NOT_SETTINGS.has(name))) names.add(name);
  }
  if (doc.path.endsWith('.env.example')) {
    for (const [name] of doc.text.matchAll(/\b[A-Za-z][A-Za-z0-9_]*\b/g)) if (looksLikeSetting(name)) names.add(name);
  }
  return names;
}

/** Names the documents use that are neither a setting nor an environment variable something else reads. */
export function unknownSettings(docs: Doc[], known: Iterable<string>): Finding[] {
  const knownNames = new Set(known);
  return docs.flatMap((doc) => [...namedSettings(doc)].filter((name) => !knownNames.has(name)).map((name) => ({ path: doc.path, name })));
}

/**
 * Environment variables the test runner and test support read (TEST_DATABASE_URL, CHROMIUM_PATH …): the Tests
 * document names them, and they are no setting of the bot.
 */
export function harnessEnvironmentNames(root: string, folders: string[]): Set<string> {
  const names = new Set<string>();
  for (const folder of folders) {
    for (const file of typeScriptFiles(join(root, folder))) {
      const source = readFileSync(file, 'utf8');
      for (const match of source.matchAll(/process\.env(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*'([A-Za-z_][A-Za-z0-9_]*)'\s*\])/g)) {
        names.add(match[1] ?? match[2]!);
      }
    }
  }
  return names;
}

function typeScriptFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.ts'))
    .map((path) => join(folder, path));
}

/**
 * The commands a document tells people to type: every backtick span that starts with a slash command (`/ext 101`,
 * `/switchboard help \| link` — each alternative), and in a table with a Slack or Teams column, every span in those
 * columns (`ext 101`, `myforwarding`, `101`), and in "Type `…`, `…` to the bot" sentences. HTTP paths the bot serves
 * (`/healthz`) are not commands.
 */
export function namedCommands(doc: Doc, routes: ReadonlySet<string>): { typed: string[]; slash: string[] } {
  const slash = new Set<string>();
  const typed = new Set<string>();
  for (const [, span = ''] of doc.text.matchAll(/`([^`\n]+)`/g)) {
    const head = /^\/[a-z][a-z0-9]*(?=\s|$)/.exec(span)?.[0];
    if (head !== undefined && !routes.has(head)) for (const alternative of alternatives(span)) slash.add(alternative);
  }
  for (const cell of chatColumnCells(doc.text)) {
    for (const [, span = ''] of cell.matchAll(/`([^`\n]+)`/g))
      if (!span.startsWith('/')) for (const alternative of alternatives(span)) typed.add(alternative);
  }
  for (const [, list = ''] of doc.text.matchAll(/\bType ((?:`[^`]+`[^`.]*?)+?) to the bot/g)) {
    for (const [, span = ''] of list.matchAll(/`([^`\n]+)`/g)) typed.add(span);
  }
  return { typed: [...typed], slash: [...slash] };
}

/** `/switchboard help \| link \| unlink`: "/switchboard help", "/switchboard link", "/switchboard unlink". */
function alternatives(span: string): string[] {
  const [first = '', ...rest] = span.split(/\s*\\?\|\s*/).map((part) => part.trim());
  const prefix = first.includes(' ') ? first.slice(0, first.lastIndexOf(' ') + 1) : '';
  return [first, ...rest.map((alternative) => prefix + alternative)].filter((text) => text !== '');
}

/** The cells under a "Slack" or "Teams" header in the document's markdown tables. */
function chatColumnCells(text: string): string[] {
  const cells: string[] = [];
  let columns: number[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('|')) {
      columns = [];
      continue;
    }
    const row = line
      .replace(/\\\|/g, '\u0000')
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.replace(/\u0000/g, '\\|').trim());
    if (/^\|[-|: ]+\|$/.test(line.trim())) continue;
    if (columns.length === 0 && !row.some((cell) => cell.includes('`'))) {
      columns = row.flatMap((cell, index) => (/^(Slack|Teams)$/.test(cell) ? [index] : []));
      continue;
    }
    for (const index of columns) if (row[index] !== undefined) cells.push(row[index]);
  }
  return cells;
}

/**
 * Why the bot would not answer this slash command as the document says, or undefined when it would: the command
 * must parse, and its head must be how the bot writes the command itself (`/extension` parses as an alias, but Slack
 * has no such slash command; `/help` is `/switchboard help`).
 */
export function slashCommandProblem(text: string): string | undefined {
  const parsed = parseCommand(text);
  if (!parsed.ok) return parsed.problem === 'unknownCommand' ? `unknown command word "${parsed.word}"` : parsed.problem;
  const written = formatCommand(parsed.command, 'slash');
  // The command word, and the subcommand after /switchboard when one is written (a bare /switchboard is help).
  const head = text.split(' ').slice(0, text.startsWith('/switchboard ') ? 2 : 1);
  const writtenHead = written.split(' ').slice(0, head.length);
  if (head.join(' ') !== writtenHead.join(' ')) return `the bot writes it as "${writtenHead.join(' ')}"`;
  return undefined;
}

/**
 * Why the bot would not answer this typed message as a command, or undefined when it would: it starts with a command
 * word, or it is a lookup by its shape alone (`101`, `+1 650 331 6252`, an email). Other words only get help.
 */
export function typedCommandProblem(text: string): string | undefined {
  if (parseCommand(`/${text}`).ok) return undefined;
  const parsed = parseCommand(text);
  if (parsed.ok && parsed.command.name !== 'help') return undefined;
  return `"${text.split(' ')[0]}" is no command word, and the text is no lookup`;
}

export function unknownCommands(docs: Doc[], routes: ReadonlySet<string>): (Finding & { problem: string })[] {
  return docs.flatMap((doc) => {
    const { slash, typed } = namedCommands(doc, routes);
    return [
      ...slash.map((name) => ({ path: doc.path, name, problem: slashCommandProblem(name) })),
      ...typed.map((name) => ({ path: doc.path, name, problem: typedCommandProblem(name) })),
    ].flatMap((finding) => (finding.problem === undefined ? [] : [{ ...finding, problem: finding.problem }]));
  });
}

/** The paths the bot's HTTP server routes ('GET /healthz', 'POST /api/messages' in the source): not commands. */
export function servedPaths(root: string): Set<string> {
  const paths = new Set<string>();
  for (const file of typeScriptFiles(join(root, 'src'))) {
    if (relative(root, file).startsWith('src/sandbox')) continue;
    for (const [, path = ''] of readFileSync(file, 'utf8').matchAll(/['`](?:GET|POST|PUT|DELETE) (\/[^\s'`?]*)/g)) paths.add(path);
  }
  return paths;
}
