/** Base of every error the sales-report functions throw on purpose: the Lambda error's type names the subclass. */
export class SalesReportError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "SalesReportError";
  }
}

/** An event (or one of its inputs) that does not match its schema; `field` is the path, e.g. "inputs.listParts.keys". */
export class InvalidEventError extends SalesReportError {
  readonly field: string;

  constructor(field: string, problem: string, options?: ErrorOptions) {
    super(`invalid event: ${field}: ${problem}`, options);
    this.name = "InvalidEventError";
    this.field = field;
  }
}

/** A CSV row that cannot be summarised; `line` counts from 1, the header included. */
export class MalformedRowError extends SalesReportError {
  readonly key: string;
  readonly line: number;

  constructor(key: string, line: number, problem: string, options?: ErrorOptions) {
    super(`${key} line ${line}: ${problem}`, options);
    this.name = "MalformedRowError";
    this.key = key;
    this.line = line;
  }
}

/** A function whose configuration lacks a variable it needs (the template sets it). */
export class MissingSettingError extends SalesReportError {
  readonly variable: string;

  constructor(variable: string) {
    super(`the environment variable ${variable} is not set`);
    this.name = "MissingSettingError";
    this.variable = variable;
  }
}
