/**
 * Renders the JSON templates in adaptive-cards/ with adaptivecards-templating. Cards are plain
 * objects here; the transport layer wraps them in attachments.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { projectRoot } from '../paths';

export type AdaptiveCard = { type: 'AdaptiveCard'; version: string; [key: string]: unknown };

/** Teams rejects bot messages over ~28 KB; cards must stay well below. */
export const MAX_CARD_BYTES = 28 * 1024;

export class CardTooLargeError extends Error {
  constructor(readonly template: string, readonly bytes: number) {
    super(`Card "${template}" is ${bytes} bytes, over Teams' limit of ${MAX_CARD_BYTES}; paginate the data`);
    this.name = 'CardTooLargeError';
  }
}

export const TEMPLATE_DIR = path.join(projectRoot(), 'adaptive-cards');

export class CardRenderer {
  private readonly cache = new Map<string, ACData.Template>();

  constructor(private readonly dir: string = TEMPLATE_DIR) {}

  render(name: string, data: object): AdaptiveCard {
    const card = this.template(name).expand({ $root: data }) as AdaptiveCard;
    const bytes = Buffer.byteLength(JSON.stringify(card), 'utf8');
    if (bytes > MAX_CARD_BYTES) throw new CardTooLargeError(name, bytes);
    return card;
  }

  private template(name: string): ACData.Template {
    let t = this.cache.get(name);
    if (!t) {
      if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`invalid card template name "${name}"`);
      const file = path.join(this.dir, `${name}.json`);
      t = new ACData.Template(JSON.parse(readFileSync(file, 'utf8')));
      this.cache.set(name, t);
    }
    return t;
  }
}
