import { createInterface } from 'node:readline';
import { stdin, stdout } from 'node:process';
import { signInVerdict } from '../sandbox/rules.ts';
import { ansiStyle, plainStyle } from './blocks-to-text.ts';
import type { DemoEvent, DemoPlatform } from './demo-session.ts';
import { runDemoCommand } from './demo-session.ts';
import { SLACK_SURFACE_HINTS } from './slack-surfaces-demo.ts';
import { TEAMS_SURFACE_HINTS } from './teams-surfaces-demo.ts';
import type { DemoStack } from './demo-stack.ts';

interface DemoPerson {
  extensionNumber: string;
  name: string;
  admin: boolean;
}

/** People the demo offers to be: everyone in the sandbox who may sign in, administrators first. */
function demoPeople(stack: DemoStack): DemoPerson[] {
  return stack.sandbox.seed.extensions
    .filter((extension) => signInVerdict(extension) === 'allowed')
    .filter((extension) => extension.extensionNumber !== undefined)
    .map((extension) => ({
      extensionNumber: extension.extensionNumber!,
      name: extension.name ?? extension.extensionNumber!,
      admin: extension.admin === true,
    }))
    .sort((a, b) => Number(b.admin) - Number(a.admin) || Number(a.extensionNumber) - Number(b.extensionNumber));
}

const QUIT = new Set([':quit', ':q', 'exit']);

const EXAMPLES = [
  '/ext 101',
  '/ext john',
  '/ext',
  '/whois (650) 331-6252',
  '/whois +18559105564',
  '/myforwarding',
  '/switchboard company',
  '/switchboard help',
];

/** The interactive demo: pick who you are, type slash commands, read the cards Slack would show. */
export async function runDemoConsole(stack: DemoStack, platform: DemoPlatform = 'slack'): Promise<void> {
  const people = demoPeople(stack);
  const featured = [people.find((p) => p.extensionNumber === '101'), people.find((p) => p.extensionNumber === '103')].filter(
    (p): p is DemoPerson => p !== undefined,
  );
  const rl = createInterface({ input: stdin, output: stdout, terminal: stdin.isTTY === true });
  // Reading through the line iterator buffers lines, so piped input (scripts, CI) is not lost between prompts.
  const lines = rl[Symbol.asyncIterator]();
  const question = async (prompt: string): Promise<string> => {
    stdout.write(prompt);
    const next = await lines.next();
    if (next.done === true) throw new Error('input closed');
    if (stdin.isTTY !== true) stdout.write(`${next.value}\n`);
    return next.value;
  };
  const say = (text = '') => stdout.write(`${text}\n`);
  // Colours for a terminal; piped into a file or another program, plain text.
  const style = stdout.isTTY === true ? ansiStyle : plainStyle;

  say(style.bold('Switchboard — local demo'));
  const path = platform === 'slack' ? 'signed Slack requests to /slack/events' : 'Bot Framework activities to /api/messages';
  say(style.dim(`RingCentral sandbox ${stack.sandbox.url} · bot ${stack.bot.url} (${path})`));
  say();
  let me = await choosePerson();
  if (!me) return rl.close();
  help();

  for (;;) {
    let line: string;
    try {
      line = (await question(`${style.bold(`${me.name.split(' ')[0]} (${me.extensionNumber})`)}> `)).trim();
    } catch {
      break; // input closed (Ctrl-D)
    }
    if (line === '') continue;
    if (QUIT.has(line)) break;
    if (line === ':help') {
      help();
      continue;
    }
    if (line === ':people') {
      listPeople();
      continue;
    }
    if (line.startsWith(':as')) {
      const next = findPerson(line.slice(3).trim());
      if (next) {
        me = next;
        say(`You are now ${me.name} (ext. ${me.extensionNumber})${me.admin ? ', an administrator' : ', a standard user'}.`);
      } else say('No such person here; :people lists them.');
      continue;
    }
    try {
      await runDemoCommand(stack, platform, me.extensionNumber, line, show);
    } catch (error) {
      say(`The demo could not finish that command: ${(error as Error).message}`);
    }
  }
  rl.close();

  async function choosePerson(): Promise<DemoPerson | undefined> {
    say('Who are you?');
    featured.forEach((person, index) =>
      say(`  ${index + 1}) ${person.name} (ext. ${person.extensionNumber}) — ${person.admin ? 'administrator' : 'standard user'}`),
    );
    say(style.dim('  or type any extension number (:people lists everyone)'));
    for (;;) {
      let answer: string;
      try {
        answer = (await question('> ')).trim();
      } catch {
        return undefined;
      }
      if (QUIT.has(answer)) return undefined;
      if (answer === ':people') {
        listPeople();
        continue;
      }
      const chosen = featured[Number(answer) - 1] ?? findPerson(answer.replace(/^:as\s*/, ''));
      if (chosen) return chosen;
      say('Type 1, 2 or an extension number.');
    }
  }

  function listPeople(): void {
    for (const person of people) say(`  ${person.extensionNumber.padStart(4)}  ${person.name}${person.admin ? ' (administrator)' : ''}`);
  }

  function findPerson(text: string): DemoPerson | undefined {
    return people.find((person) => person.extensionNumber === text);
  }

  function help(): void {
    say();
    say(`Try: ${EXAMPLES.join('  ·  ')}`);
    if (platform === 'slack') say(`Slack beyond slash commands: ${SLACK_SURFACE_HINTS.join('  ·  ')}`);
    else say(`Teams beyond typed messages: ${TEAMS_SURFACE_HINTS.join('  ·  ')}`);
    say(style.dim('Commands: :as <ext> switch person · :people list people · :help · :quit'));
    say();
  }

  function show(event: DemoEvent): void {
    switch (event.kind) {
      case 'message':
        say(event.render(style));
        say();
        break;
      case 'signingIn':
        say(style.dim(`→ Signing in to the RingCentral sandbox as ext. ${event.extensionNumber} (real OAuth + PKCE)…`));
        break;
      case 'signedIn':
        say(style.dim(`→ Browser page: ${event.page}`));
        say();
        break;
      case 'failed':
        say(`✗ ${event.reason}`);
        break;
    }
  }
}
