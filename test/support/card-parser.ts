/** The official Adaptive Cards parser, for checking rendered cards in tests. */
import type { AdaptiveCard } from '../../src/cards/render';

// The official parser reports unknown elements and properties; its UMD bundle works in Node.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js');

/** What the parser complains about (empty for a valid card). */
export function parseProblems(card: AdaptiveCard): string[] {
  const ctx = new AC.SerializationContext();
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, ctx);
  const problems: string[] = [];
  for (let i = 0; i < ctx.eventCount; i++) problems.push(ctx.getEventAt(i).message);
  return problems;
}
