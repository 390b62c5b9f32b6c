/**
 * Errors the bot knows how to explain. Each has a stable `code` (for logs, metrics and tests)
 * and a message fit to show an operator as one line.
 */
export class AppError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** An environment variable is missing or malformed. */
export class ConfigError extends AppError {
  readonly variable: string;
  constructor(variable: string, message: string) {
    super('CONFIG_INVALID', `${variable}: ${message}`);
    this.variable = variable;
  }
}

/** A content file is missing, unreadable or fails its schema or checks. */
export class ContentError extends AppError {
  readonly file: string;
  /** The offending field as a dotted path, or "(file)" when the whole file is at fault. */
  readonly field: string;
  readonly problem: string;
  constructor(file: string, problem: string, options?: { field?: string; cause?: unknown }) {
    const field = options?.field ?? '(file)';
    super('CONTENT_INVALID', `${file}: ${field === '(file)' ? '' : `${field}: `}${problem}`, { cause: options?.cause });
    this.file = file;
    this.field = field;
    this.problem = problem;
  }
}

/** The store cannot be opened or reached. */
export class StoreError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('STORE_UNAVAILABLE', message, options);
  }
}

/** The one line to print for a start-up failure: our own errors as they are, others by message. */
export function describeStartupError(error: unknown): string {
  if (error instanceof AppError) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return `UNEXPECTED: ${error.message}`;
  return `UNEXPECTED: ${String(error)}`;
}
