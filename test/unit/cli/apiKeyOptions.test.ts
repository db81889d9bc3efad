import { describe, expect, it } from "vitest";
import { parseCompareOptions } from "../../../cli/options.js";
import { InvalidInputError } from "../../../lib/errors.js";

const AWS_API = "https://abc123.execute-api.eu-west-1.amazonaws.com/dev";

describe("Function: parseCompareOptions, the API key", () => {
  it("takes --api-key with --url", () => {
    const options = parseCompareOptions(["--url", AWS_API, "--api-key", "from-flag"], {});

    expect(options).toMatchObject({ url: AWS_API, apiKey: "from-flag" });
  });

  it("reads LAB_API_KEY when --api-key is not given", () => {
    const options = parseCompareOptions(["--url", AWS_API], { LAB_API_KEY: "from-env" });

    expect(options.apiKey).toBe("from-env");
  });

  it("prefers --api-key to LAB_API_KEY", () => {
    const options = parseCompareOptions(["--url", AWS_API, "--api-key", "from-flag"], {
      LAB_API_KEY: "from-env",
    });

    expect(options.apiKey).toBe("from-flag");
  });

  it("has no key without --url, even with LAB_API_KEY set: the local stack sends its own", () => {
    const options = parseCompareOptions([], { LAB_API_KEY: "from-env" });

    expect(options).not.toHaveProperty("apiKey");
  });

  it("refuses --api-key without --url, naming the flag", () => {
    let error: unknown;
    try {
      parseCompareOptions(["--api-key", "k"], {});
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ field: "--api-key" });
  });
});
