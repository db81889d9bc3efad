/**
 * RFC 9535 `member-name-shorthand`, restricted to ASCII: the names AWS Step Functions accepts
 * after a dot. Any other name (a '-' anywhere, a leading digit) needs bracket notation.
 */
const MEMBER_NAME_SHORTHAND = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Names LocalStack's JSONPath parser (jsonpath-ng) lexes as keywords after a dot, so that
 * `$.results.where` would not parse there; in brackets they are plain names.
 */
const JSONPATH_NG_KEYWORDS = new Set(["where", "wherenot", "true", "false", "null"]);

/**
 * The JSONPath segment that selects member `name` of an object: `.name` when the name is a
 * shorthand name everywhere (AWS, LocalStack's jsonpath-ng, asl-validator), else `['name']`,
 * which AWS documents as required for such names and its reference paths (ResultPath) accept.
 * Task ids (letters, digits, '_' and '-') never hold a quote or a backslash, but both are
 * escaped anyway.
 */
export function memberSegment(name: string): string {
  if (MEMBER_NAME_SHORTHAND.test(name) && !JSONPATH_NG_KEYWORDS.has(name)) return `.${name}`;
  return `['${name.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}']`;
}
