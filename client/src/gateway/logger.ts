/** The leveled log the gateway writes to (the extension's LogOutputChannel, a test's array, the terminal). */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
