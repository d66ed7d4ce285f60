/**
 * The bot's own short Swedish answers: where a reply may not be given, and why. Kept apart from
 * bot.ts so the texts can be read (and tested) without a turn.
 */

/** Teams' deep link to the personal chat with the bot (the bot's id in Teams is "28:" + its app id). */
export function personalChatLink(botAppId: string | undefined): string | undefined {
  return botAppId ? `https://teams.microsoft.com/l/chat/0/0?users=28:${encodeURIComponent(botAppId)}` : undefined;
}

/** The answer outside the personal chat: reports, cases, reviews and summaries are never shown where others read along. */
export function personalChatOnly(botAppId: string | undefined): string {
  const link = personalChatLink(botAppId);
  const open = link
    ? `[Öppna vår personliga chatt](${link}) och skriv eller tryck där.`
    : 'Öppna Lex Sarah-assistenten under Appar i Teams och skriv samma sak till mig där.';
  return `Det här visar jag bara i vår personliga chatt, så att ingen annan ser det. ${open}`;
}

export const NO_IDENTITY = 'Jag kan inte se vem du är. Använd Lex Sarah-assistenten i Teams, inloggad med ditt jobbkonto.';

export const UNKNOWN_ACTION =
  'Den här knappen känner jag inte igen. Kortet kan vara gammalt: skriv "hjälp" så visar jag vad du kan göra.';

/** After "rapportera" in a group chat or channel, when the form is on its way to the personal chat (delivered after this answer). */
export const FORM_SENT_TO_PERSONAL_CHAT =
  'Jag skickar rapportformuläret till dig i vår personliga chatt, så att ingen annan ser det du skriver. Öppna Lex Sarah-assistenten under Appar i Teams.';
