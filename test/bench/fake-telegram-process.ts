/** The fake Bot API in its own process, as Telegram is remote: prints its address, runs until killed. */
import { startFakeTelegram } from '../fakes/telegram-api.ts';

const fake = await startFakeTelegram(process.argv[2]);
process.stdout.write(`${JSON.stringify({ apiRoot: fake.apiRoot, token: fake.token })}\n`);
process.on('SIGTERM', () => void fake.close().then(() => process.exit(0)));
