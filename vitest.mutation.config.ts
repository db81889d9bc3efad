import { defineConfig } from "vitest/config";

/**
 * The unit tests alone, in one fixed order, for `npm run test:mutation` (stryker.config.json and
 * stryker.workflow.config.mjs): StrykerJS runs them against every mutant of the domain's code and
 * needs one plain project.
 */
export default defineConfig({
  test: {
    include: ["test/unit/**/*.test.ts"],
    setupFiles: ["test/helpers/sdkMatchers.ts"],
  },
});
