import { normalizeInput } from './input-text.ts';
import { parseExtQuery } from './parse-ext-query.ts';
import { looksLikePhoneNumber } from './parse-phone-query.ts';

/**
 * Every command the bot answers. Arguments stay as (normalised) text: the ext query is parsed by parseExtQuery, and
 * the whois query by parsePhoneQuery once the caller's home country is known.
 */
export type Command =
  | { name: 'ext'; query: string; page: number }
  | { name: 'whois'; query: string }
  | { name: 'myforwarding' }
  | { name: 'help' }
  | { name: 'link' }
  | { name: 'unlink' }
  | { name: 'status' }
  | { name: 'company'; page: number }
  /** The one-time code a sign-in page showed, as typed (checked by the handler, so bad input gets a friendly reply). */
  | { name: 'confirm'; code: string };

export type CommandName = Command['name'];

/** How commands are written where the reply is shown: Slack slash commands, or words typed to the bot. */
export type CommandStyle = 'slash' | 'plain';

export type CommandParse =
  | { ok: true; command: Command }
  | { ok: false; problem: 'tooLong'; limit: number }
  | { ok: false; problem: 'unknownCommand'; word: string };

/** The words (and their aliases) that name each command. */
const commandWords = {
  ext: 'ext',
  extension: 'ext',
  whois: 'whois',
  myforwarding: 'myforwarding',
  forwarding: 'myforwarding',
  help: 'help',
  '?': 'help',
  link: 'link',
  connect: 'link',
  unlink: 'unlink',
  disconnect: 'unlink',
  status: 'status',
  whoami: 'status',
  company: 'company',
  confirm: 'confirm',
} as const satisfies Record<string, CommandName>;

/** `/switchboard <sub>` groups these in Slack; the others have slash commands of their own. */
const switchboardSubcommands: ReadonlySet<CommandName> = new Set(['help', 'link', 'unlink', 'status', 'company', 'confirm']);

/** Next pages of an ext list (and of the company's unassigned numbers) are asked for with a trailing `page:N`. */
const PAGE_TOKEN = /(?:^|\s)page:(\d{1,4})$/i;
const MAX_PAGE = 1000;

// A leading bot mention: Slack `<@U123>` (app mentions) or Teams `<at>Switchboard</at>`.
const LEADING_BOT_MENTION = /^(?:<@[A-Z0-9]+(?:\|[^<>]*)?>|<at>[^<]*<\/at>)\s*/i;

/**
 * Reads a command as typed to the bot or sent by a slash command or a button: "ext 101", "/ext 101",
 * "whois +1 650 331 6252", "switchboard status", "/switchboard link", "<@UBOT> help". Text without a command word is
 * answered as the lookup its shape makes plain ("101", "+1 650 331 6252", an email), or with help. Empty text asks
 * for help.
 */
export function parseCommand(raw: string): CommandParse {
  const input = normalizeInput(raw);
  if (!input.ok) return input;

  let text = input.text;
  const mention = LEADING_BOT_MENTION.exec(text);
  if (mention && (/^<at>/i.test(mention[0]) || startsWithCommandWord(text.slice(mention[0].length)))) {
    text = text.slice(mention[0].length);
  }

  let [word, rest] = splitFirstWord(text);
  let viaSwitchboard = false;
  if (word.replace(/^\//, '').toLowerCase() === 'switchboard') {
    viaSwitchboard = true;
    [word, rest] = splitFirstWord(rest);
    if (word === '') return { ok: true, command: { name: 'help' } };
  }
  if (word === '') return { ok: true, command: { name: 'help' } };

  const explicitSlash = word.startsWith('/');
  const name = commandName(word);
  if (name !== undefined) return { ok: true, command: commandWithArgument(name, rest) };
  if (explicitSlash || viaSwitchboard) return { ok: false, problem: 'unknownCommand', word };

  return { ok: true, command: commandFromShape(text) };
}

/**
 * Text with no command word: a phone number, an extension number, an email or a mention can only be a lookup, but
 * words may be anything said to the bot ("thanks!"), so they get help rather than a search for them.
 */
function commandFromShape(text: string): Command {
  if (looksLikePhoneNumber(text)) return { name: 'whois', query: text };
  const shape = parseExtQuery(text.replace(PAGE_TOKEN, '')).kind;
  return shape === 'extensionNumber' || shape === 'email' || shape === 'slackMention' ? extCommand(text) : { name: 'help' };
}

/** Writes a command so parseCommand reads it back unchanged (the "show more" buttons rely on it). */
export function formatCommand(command: Command, style: CommandStyle): string {
  const head = commandHead(command.name, style);
  switch (command.name) {
    case 'ext': {
      const parts = [head, command.query, command.page > 1 ? `page:${command.page}` : ''];
      return parts.filter((part) => part !== '').join(' ');
    }
    case 'whois':
      return command.query === '' ? head : `${head} ${command.query}`;
    case 'company':
      return command.page > 1 ? `${head} page:${command.page}` : head;
    case 'confirm':
      return command.code === '' ? head : `${head} ${command.code}`;
    default:
      return head;
  }
}

/** The words that start a command: "/ext", "/switchboard help", or "ext", "help". */
export function commandHead(name: CommandName, style: CommandStyle): string {
  if (style === 'plain') return name;
  return switchboardSubcommands.has(name) ? `/switchboard ${name}` : `/${name}`;
}

function commandName(word: string): CommandName | undefined {
  const key = word.replace(/^\//, '').toLowerCase();
  return Object.hasOwn(commandWords, key) ? commandWords[key as keyof typeof commandWords] : undefined;
}

function startsWithCommandWord(text: string): boolean {
  return commandName(splitFirstWord(text)[0]) !== undefined || /^\/?switchboard\b/i.test(text);
}

function commandWithArgument(name: CommandName, argument: string): Command {
  switch (name) {
    case 'ext':
      return extCommand(argument);
    case 'whois':
      return { name, query: argument };
    case 'company':
      return { name, page: pageOf(argument) ?? 1 };
    case 'confirm':
      return { name, code: argument };
    default:
      // Extra words after help, link, unlink, status or myforwarding change nothing; refusing them would only annoy.
      return { name };
  }
}

function extCommand(argument: string): Command {
  const page = PAGE_TOKEN.exec(argument);
  if (!page) return { name: 'ext', query: argument, page: 1 };
  return { name: 'ext', query: argument.slice(0, page.index).trim(), page: pageOf(argument) ?? 1 };
}

/** The page a trailing `page:N` asks for, within 1…MAX_PAGE. */
function pageOf(argument: string): number | undefined {
  const page = PAGE_TOKEN.exec(argument);
  return page ? Math.min(Math.max(Number(page[1]), 1), MAX_PAGE) : undefined;
}

function splitFirstWord(text: string): [string, string] {
  const space = text.indexOf(' ');
  return space === -1 ? [text, ''] : [text.slice(0, space), text.slice(space + 1).trim()];
}
