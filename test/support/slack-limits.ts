/*
 * An independent check of a Block Kit message against Slack's documented limits (Block Kit reference: blocks,
 * block elements, composition objects). It deliberately does not import the renderer's constants: a wrong constant
 * there must fail here. Returns every problem found; an empty list means Slack would accept the message's shape.
 */

const LIMITS = {
  messageText: 40_000,
  blocks: 50,
  /** A Home tab view (views.publish) may hold more blocks than a message. */
  homeBlocks: 100,
  headerText: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  actionId: 255,
  buttonUrl: 3000,
  buttonValue: 2000,
};

export interface TextObjectSeen {
  type: 'plain_text' | 'mrkdwn' | 'message_text';
  text: string;
  where: string;
}

export function slackMessageProblems(message: unknown): string[] {
  return inspect(message).problems;
}

/** Problems of a Home tab view (views.publish): its blocks, within a view's own block limit. */
export function slackHomeViewProblems(view: unknown): string[] {
  if (!isRecord(view)) return ['view is not an object'];
  const problems = view['type'] === 'home' ? [] : [`view type ${String(view['type'])}, not home`];
  return [...problems, ...inspect({ text: 'home', blocks: view['blocks'] }, LIMITS.homeBlocks).problems];
}

/** Every text shown to people, with its object type: the top-level `text` counts as mrkdwn-parsed message text. */
export function slackTexts(message: unknown): TextObjectSeen[] {
  return inspect(message).texts;
}

/** Every button in the message. */
export function slackButtons(message: unknown): Array<Record<string, unknown>> {
  return inspect(message).buttons;
}

function inspect(message: unknown, maxBlocks: number = LIMITS.blocks) {
  const problems: string[] = [];
  const texts: TextObjectSeen[] = [];
  const buttons: Array<Record<string, unknown>> = [];
  const actionIds = new Set<string>();

  const textObject = (value: unknown, where: string, max: number, allowed: ReadonlyArray<'plain_text' | 'mrkdwn'>) => {
    if (!isRecord(value)) return problems.push(`${where}: not a text object`);
    const type = value['type'];
    if (type !== 'plain_text' && type !== 'mrkdwn') return problems.push(`${where}: text type ${String(type)}`);
    if (!allowed.includes(type)) problems.push(`${where}: ${type} not allowed here`);
    const text = value['text'];
    if (typeof text !== 'string') return problems.push(`${where}: text is not a string`);
    if (text.length === 0) problems.push(`${where}: empty text`);
    if (text.length > max) problems.push(`${where}: ${text.length} characters > ${max}`);
    texts.push({ type, text, where });
    return undefined;
  };

  const button = (value: unknown, where: string) => {
    if (!isRecord(value) || value['type'] !== 'button') return problems.push(`${where}: not a button`);
    buttons.push(value);
    textObject(value['text'], `${where}.text`, LIMITS.buttonText, ['plain_text']);
    const actionId = value['action_id'];
    if (actionId !== undefined) {
      if (typeof actionId !== 'string' || actionId.length === 0 || actionId.length > LIMITS.actionId) {
        problems.push(`${where}: bad action_id`);
      } else if (actionIds.has(actionId)) {
        problems.push(`${where}: duplicate action_id ${actionId}`);
      } else {
        actionIds.add(actionId);
      }
    }
    const url = value['url'];
    if (url !== undefined && (typeof url !== 'string' || url.length === 0 || url.length > LIMITS.buttonUrl)) {
      problems.push(`${where}: bad url`);
    }
    const buttonValue = value['value'];
    if (buttonValue !== undefined && (typeof buttonValue !== 'string' || buttonValue.length > LIMITS.buttonValue)) {
      problems.push(`${where}: bad value`);
    }
    const style = value['style'];
    if (style !== undefined && style !== 'primary' && style !== 'danger') problems.push(`${where}: bad style`);
    return undefined;
  };

  if (!isRecord(message)) return { problems: ['message is not an object'], texts, buttons };
  const text = message['text'];
  if (typeof text !== 'string' || text.length === 0) problems.push('message text fallback missing');
  else {
    if (text.length > LIMITS.messageText) problems.push(`message text ${text.length} > ${LIMITS.messageText}`);
    texts.push({ type: 'message_text', text, where: 'text' });
  }
  const blocks = message['blocks'];
  if (!Array.isArray(blocks)) return { problems: [...problems, 'blocks missing'], texts, buttons };
  if (blocks.length === 0) problems.push('no blocks');
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks > ${maxBlocks}`);

  blocks.forEach((block: unknown, index) => {
    const where = `blocks[${index}]`;
    if (!isRecord(block)) return problems.push(`${where}: not an object`);
    if (block['block_id'] !== undefined) problems.push(`${where}: block_id set (the model has none)`);
    switch (block['type']) {
      case 'header':
        return textObject(block['text'], `${where}.text`, LIMITS.headerText, ['plain_text']);
      case 'section': {
        const fields = block['fields'];
        if (block['text'] === undefined && fields === undefined) problems.push(`${where}: section with neither text nor fields`);
        if (block['text'] !== undefined) textObject(block['text'], `${where}.text`, LIMITS.sectionText, ['plain_text', 'mrkdwn']);
        if (fields !== undefined) {
          if (!Array.isArray(fields) || fields.length === 0 || fields.length > LIMITS.fields) problems.push(`${where}: bad fields count`);
          if (Array.isArray(fields))
            fields.forEach((field, f) => textObject(field, `${where}.fields[${f}]`, LIMITS.fieldText, ['plain_text', 'mrkdwn']));
        }
        if (block['accessory'] !== undefined) button(block['accessory'], `${where}.accessory`);
        return undefined;
      }
      case 'context': {
        const elements = block['elements'];
        if (!Array.isArray(elements) || elements.length === 0 || elements.length > LIMITS.contextElements) {
          return problems.push(`${where}: bad context elements`);
        }
        elements.forEach((element, e) => textObject(element, `${where}.elements[${e}]`, LIMITS.contextText, ['plain_text', 'mrkdwn']));
        return undefined;
      }
      case 'actions': {
        const elements = block['elements'];
        if (!Array.isArray(elements) || elements.length === 0 || elements.length > LIMITS.actionsElements) {
          return problems.push(`${where}: bad actions elements`);
        }
        elements.forEach((element, e) => button(element, `${where}.elements[${e}]`));
        return undefined;
      }
      case 'divider':
        return Object.keys(block).length === 1 ? undefined : problems.push(`${where}: divider with other fields`);
      default:
        return problems.push(`${where}: unknown block type ${String(block['type'])}`);
    }
  });
  return { problems, texts, buttons };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
