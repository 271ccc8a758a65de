import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { ADAPTIVE_CARD_CONTENT_TYPE } from '../../src/bot/teams/adaptive.ts';

/*
 * Checks for what the bot sends to Teams, independent of the renderer: each card is validated against the Adaptive
 * Card 1.5 schema subset in test/fixtures (see its $comment for its source), every tel: link is E.164, and each
 * message is under Teams' size limit.
 */

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const schema = JSON.parse(readFileSync(new URL('../fixtures/adaptive-card-1.5-subset.schema.json', import.meta.url), 'utf8')) as object;
const ajv = addFormats(new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, keywords: ['x-version'] }));
const validateCard = ajv.compile(schema);

const E164 = /^\+[1-9]\d{1,14}$/;

/**
 * Teams refuses a bot message over about 28 KB (Bot Framework / Teams "message size limit"). Written here, not taken
 * from the renderer's teamsLimits, so that a wrong constant there fails these checks instead of moving them.
 */
export const TEAMS_MESSAGE_BYTES = 28 * 1024;

/** Schema errors and broken tel: links of one card; empty when it is valid. */
export function adaptiveCardProblems(card: unknown): string[] {
  const problems: string[] = [];
  if (!validateCard(card)) {
    for (const error of validateCard.errors ?? [])
      problems.push(`schema: ${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
  }
  for (const url of urlsOf(card)) {
    if (url.startsWith('tel:') && !E164.test(url.slice('tel:'.length))) problems.push(`tel: link not E.164: ${url}`);
  }
  return problems;
}

/** The parts of a message activity checked here: what the bot posts, or what the renderer returns. */
export interface MessageLike {
  type: string;
  summary?: string;
  attachments?: ReadonlyArray<{ contentType: string; content: unknown }>;
}

/** Problems of one message activity the bot posted: its cards, its fallback summary, its size as sent. */
export function teamsMessageProblems(activity: MessageLike, bytes = Buffer.byteLength(JSON.stringify(activity))): string[] {
  const problems: string[] = [];
  if (bytes >= TEAMS_MESSAGE_BYTES) problems.push(`message is ${bytes} bytes, Teams allows under ${TEAMS_MESSAGE_BYTES}`);
  if (activity.type !== 'message') return problems;
  const cards = (activity.attachments ?? []).filter((attachment) => attachment.contentType === ADAPTIVE_CARD_CONTENT_TYPE);
  if (cards.length !== 1) problems.push(`expected one Adaptive Card, got ${cards.length}`);
  if (typeof activity.summary !== 'string' || activity.summary.trim() === '') problems.push('no summary text for notifications');
  for (const card of cards) problems.push(...adaptiveCardProblems(card.content));
  return problems;
}

/** Every url of an Action.OpenUrl anywhere in a card (buttons and text links alike). */
export function urlsOf(node: unknown): string[] {
  const urls: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    if (record['type'] === 'Action.OpenUrl' && typeof record['url'] === 'string') urls.push(record['url']);
    Object.values(record).forEach(visit);
  };
  visit(node);
  return urls;
}

/** Every object of a given `type` anywhere in a card. */
export function elementsOf<T = Record<string, unknown>>(node: unknown, type: string): T[] {
  const found: T[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    if (record['type'] === type) found.push(record as T);
    Object.values(record).forEach(visit);
  };
  visit(node);
  return found;
}
