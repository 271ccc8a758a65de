import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/*
 * The README's quick start: `npm start` with no credentials runs the demo console, and `npm run ask` one command.
 * Both are run here as a person or a script would, as child processes fed on stdin.
 */

const ROOT = new URL('../..', import.meta.url).pathname;
const NO_CREDENTIALS = Object.fromEntries(
  Object.entries(process.env).filter(
    ([name]) => !/^(SLACK_|RINGCENTRAL_|Microsoft|DATABASE_URL|TOKEN_ENCRYPTION|REDIS_URL|PORT)/.test(name),
  ),
);

function run(args: string[], input = '', killAfterMs = 50_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env: NO_CREDENTIALS });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: stdout.replace(/\u001b\[[0-9;]*m/g, ''), stderr });
    });
    child.stdin.end(input);
  });
}

describe('the local demo', () => {
  it('npm start: a standard user links through the sandbox and sees only a colleague’s direct number', async () => {
    const { code, stdout } = await run(['src/main.ts'], '2\n/ext 102\n/whois (650) 331-6252\n:quit\n');
    expect(code).toBe(0);
    expect(stdout).toContain('Emma Chen (ext. 103) — standard user');
    expect(stdout).toContain(
      'Browser page: Linked as Emma Chen (ext. 103) to Slack account Emma Chen (emma.chen@mycompany.com). You can close this tab.',
    );
    expect(stdout).toMatch(/Paul Rivera\s+Extension\s+102/);
    expect(stdout).toMatch(/Direct number\s+\(650\) 331-6252/);
    // A standard user is not shown the features of someone else's number.
    expect(stdout).not.toContain('SMS sender');
  }, 60_000);

  it('npm start: the hints offer /switchboard company, and the administrator’s card shows the counts', async () => {
    const { code, stdout } = await run(['src/main.ts'], '1\n/switchboard company\n:quit\n');
    expect(code).toBe(0);
    expect(stdout).toMatch(/Try: .*\/switchboard company/);
    expect(stdout).toMatch(/Main number\s+\(855\) 544-0014/);
    expect(stdout).toMatch(/Numbers mapped to no extension\s+\d+/);
  }, 60_000);

  it('npm start: a DM, the Home tab and the phone-number shortcut, drawn as Slack would show them', async () => {
    const input = '2\n:home\n:dm ext 102\n:numbers Paul is on (650) 331-6252, the vendor on 510.555.0000\n:quit\n';
    const { code, stdout } = await run(['src/main.ts'], input);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Slack beyond slash commands: :dm ext 101/);
    // The Home tab offers Connect, the demo signs in from it, and the tab is drawn again with who Emma is.
    expect(stdout).toMatch(/── Home tab ──\nConnect your RingCentral account/);
    expect(stdout).toMatch(/── Home tab ──\n✅ Linked to RingCentral\n\s+Name\s+Emma Chen/);
    expect(stdout).toMatch(/Emma Chen \(you\)/);
    expect(stdout).toMatch(/── in your DM with Switchboard ──\nPaul Rivera/);
    expect(stdout).toMatch(/── only you can see this ──\nPhone numbers in this message/);
    expect(stdout).toContain('(510) 555-0000 is not in your company directory');
  }, 60_000);

  it('npm start -- --teams: the message action answers in a dialog, after connecting from it', async () => {
    const input = '2\n:numbers Paul is on (650) 331-6252, the vendor on 510.555.0000\n:quit\n';
    const { code, stdout } = await run(['src/main.ts', '--teams'], input);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Teams beyond typed messages: :numbers/);
    expect(stdout).toMatch(/── dialog, only you can see this ──\nConnect your RingCentral account/);
    expect(stdout).toMatch(/── dialog, only you can see this ──\nPhone numbers in this message/);
    expect(stdout).toContain('(510) 555-0000 is not in your company directory');
  }, 60_000);

  it('npm start -- --teams: the same answers through /api/messages', async () => {
    const { code, stdout } = await run(['src/main.ts', '--teams'], '1\nmyforwarding\n:quit\n');
    expect(code).toBe(0);
    expect(stdout).toContain('/api/messages');
    expect(stdout).toContain('Linked as John Smith (ext. 101)');
    expect(stdout).toMatch(/John Smith Desk Phone\s+\(760\) 941-0044/);
  }, 60_000);

  it('npm run ask: one command for an administrator, printed as text or as Block Kit', async () => {
    const text = await run(['src/demo/ask.ts', '--as', '101', '/whois +16503316252']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Features\s+Caller ID, SMS sender/);
    const blocks = await run(['src/demo/ask.ts', '--as', '101', '--format', 'blocks', '/ext 110']);
    expect(blocks.code).toBe(0);
    const message = JSON.parse(blocks.stdout) as { text: string; blocks: unknown[]; response_type: string };
    expect(message.blocks.length).toBeGreaterThan(0);
    expect(message.response_type).toBe('ephemeral');
    expect(message.text).toContain('AO Ext');
  }, 60_000);

  it('npm run ask explains its usage instead of failing on bad arguments', async () => {
    const result = await run(['src/demo/ask.ts', '--as', 'john']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('usage: npm run ask');
  }, 60_000);

  it('npm run ask for an extension the demo company lacks says so and exits at once (it used to hang half an hour)', async () => {
    const result = await run(['src/demo/ask.ts', '--as', '999', '/ext 101'], '', 20_000);
    expect(result.stderr).toContain('There is no extension 999 in the demo company.');
    expect(result.code).toBe(2);
  }, 30_000);

  it('npm run ask as an extension RingCentral would not sign in says why, without a stack trace', async () => {
    const disabled = await run(['src/demo/ask.ts', '--as', '116', '/ext 101'], '', 20_000);
    expect(disabled.stderr).toContain('cannot sign in to RingCentral: its status is Disabled');
    expect(disabled.code).toBe(2);
    const announcement = await run(['src/demo/ask.ts', '--as', '110', '/ext 101'], '', 20_000);
    expect(announcement.stderr).toContain('cannot sign in to RingCentral: its type is Announcement');
    expect(`${announcement.stderr}${disabled.stderr}`).not.toMatch(/\n\s+at /);
    expect(announcement.code).toBe(2);
  }, 45_000);

  it('npm start: :quit at the first question leaves at once, and piped output carries no colour codes', async () => {
    const { code, stdout } = await run(['src/main.ts'], ':quit\n', 20_000);
    expect(code).toBe(0);
    expect(stdout).toContain('Who are you?');
    expect(stdout).not.toContain('\u001b[');
  }, 30_000);
});
