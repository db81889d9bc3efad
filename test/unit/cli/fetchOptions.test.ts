import { describe, expect, it } from "vitest";
import { isFetchCommand, parseFetchOptions } from "../../../cli/fetchOptions.js";
import { parseCompareOptions } from "../../../cli/options.js";
import { InvalidInputError } from "../../../lib/errors.js";
import { thrownBy } from "../../helpers/rejection.js";
import { RUN_ID } from "../../helpers/runRecords.js";

const AWS_API = "https://abc123.execute-api.eu-west-1.amazonaws.com/dev";

describe("Function: parseCompareOptions, --async", () => {
  it("is off by default and on with --async", () => {
    expect(parseCompareOptions([], {}).async).toBe(false);
    expect(parseCompareOptions(["--async"], {}).async).toBe(true);
  });
});

describe("Function: isFetchCommand", () => {
  it("recognises --fetch in either form", () => {
    expect(isFetchCommand(["--fetch", RUN_ID])).toBe(true);
    expect(isFetchCommand([`--fetch=${RUN_ID}`])).toBe(true);
    expect(isFetchCommand(["--runs", "5"])).toBe(false);
  });
});

describe("Function: parseFetchOptions", () => {
  it("takes the run id, --url (its trailing slash dropped) and the key from LAB_API_KEY", () => {
    const options = parseFetchOptions(["--fetch", RUN_ID, "--url", `${AWS_API}/`], {
      LAB_API_KEY: "from-env",
    });

    expect(options).toEqual({ runId: RUN_ID, url: AWS_API, apiKey: "from-env" });
  });

  it("asks the local stack without --url, and then sends no key of the environment", () => {
    expect(parseFetchOptions(["--fetch", RUN_ID], { LAB_API_KEY: "from-env" })).toEqual({
      runId: RUN_ID,
    });
  });

  it("refuses an id the API could not have, naming --fetch", () => {
    const error = thrownBy(() => parseFetchOptions(["--fetch", "../etc/passwd"], {}));

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ field: "--fetch" });
  });

  it("refuses the flags of a comparison beside --fetch", () => {
    const error = thrownBy(() => parseFetchOptions(["--fetch", RUN_ID, "--runs", "5"], {}));

    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).problem).toMatch(
      /^takes only --url and --api-key \(.*--runs/,
    );
  });
});
