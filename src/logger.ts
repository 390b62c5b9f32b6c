import { createRequire } from 'node:module';
import { Transform, type Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

export type { Logger };

/** Object paths whose values never reach a log line, wherever they appear. */
export const REDACT_PATHS = [
  'token',
  'apiKey',
  'password',
  'secret',
  'authorization',
  '*.token',
  '*.apiKey',
  '*.password',
  '*.secret',
  '*.authorization',
  '*.telegramToken',
  '*.discordToken',
  '*.openaiApiKey',
  'config.telegramToken',
  'config.discordToken',
  'config.openaiApiKey',
  'headers.authorization',
  'headers["x-telegram-bot-api-secret-token"]',
  'req.headers.authorization',
  'req.headers["x-telegram-bot-api-secret-token"]',
];

export interface LoggerOptions {
  level: string;
  format: 'json' | 'pretty';
  /**
   * Secret values (tokens, API keys) scrubbed from every line, including inside strings such
   * as the Bot API URL in an error message, which path redaction cannot see.
   */
  secrets?: readonly (string | undefined)[];
  /** Where lines go; default stdout. The JSONL CLI passes stderr so stdout stays pure. */
  destination?: Writable;
  /** Called for every line at error level or above (the error metric). */
  onErrorLine?: () => void;
}

export function createLogger(options: LoggerOptions): Logger {
  const secrets = (options.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 6);
  const out = options.destination ?? process.stdout;
  const scrubbed = secrets.length > 0 ? scrubStream(secrets, out) : out;
  const destination = options.format === 'pretty' ? lazyPretty(scrubbed, Boolean((out as { isTTY?: boolean }).isTTY)) : scrubbed;
  return pino(
    {
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: undefined,
      serializers: { err: pino.stdSerializers.err },
      ...(options.onErrorLine
        ? {
            hooks: {
              logMethod(args, method, level) {
                if (level >= 50) options.onErrorLine?.();
                method.apply(this, args);
              },
            },
          }
        : {}),
    },
    destination,
  );
}

/**
 * pino-pretty, loaded at the first line written: a console chat that logs nothing never pays
 * for its import (~30 ms of start-up).
 */
function lazyPretty(destination: Writable, colorize: boolean): { write(line: string): void } {
  let stream: Writable | undefined;
  return {
    write(line) {
      if (stream === undefined) {
        const pretty = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
        stream = pretty({ destination, colorize, sync: true });
      }
      (stream as Writable).write(line);
    },
  };
}

const REDACTED = '[redacted]';

function scrubStream(secrets: readonly string[], out: Writable): Writable {
  const transform = new Transform({
    transform(chunk: Buffer | string, _encoding, done) {
      let line = chunk.toString();
      for (const secret of secrets) line = line.split(secret).join(REDACTED);
      done(null, line);
    },
  });
  transform.pipe(out);
  return transform;
}
