import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          // In a new order every run (the seed is printed): a test leaning on another's module
          // state fails here rather than by luck.
          sequence: { shuffle: true },
          setupFiles: ["test/helpers/sdkMatchers.ts"],
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          // Deploys the service into LocalStack once, and stops it at the end.
          globalSetup: ["test/integration/globalSetup.ts"],
          // One LocalStack for all: files take turns, so a file that switches the latency
          // profile (latencyProfile.test.ts) never slows another file's runs down.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          // Opens the HTML report in Debian's headless Chromium (playwright-core, no browser download).
          testTimeout: 60_000,
        },
      },
    ],
  },
});
