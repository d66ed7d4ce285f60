/**
 * The framework floor for bench/submit.ts: a bare teams-ai Application on the same TeamsAdapter
 * and HTTP stack (restify), replying to every message with its text. Run as its own process;
 * prints {"port":N} once listening.
 */
import { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import { MemoryStorage } from 'botbuilder';
import restify from 'restify';

const adapter = new TeamsAdapter({});
const app = new Application<TurnState>({ adapter, storage: new MemoryStorage(), startTypingTimer: false, longRunningMessages: false });
app.activity('message', async (ctx) => {
  await ctx.sendActivity(ctx.activity.text ?? '');
});

const server = restify.createServer();
server.use(restify.plugins.bodyParser());
server.post('/api/messages', async (req, res) => {
  await adapter.process(req, res, (ctx) => app.run(ctx).then(() => undefined));
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as { port: number }).port })}\n`);
});
