import { defineConfig } from "vitest/config";

/**
 * Tests that start and stop the local stack themselves (shutdown on Ctrl-C, orphans): they need
 * port 4566 free, so they run after `vitest run` (whose integration project holds LocalStack for
 * all its files), one file and one test at a time.
 */
export default defineConfig({
  test: {
    name: "lifecycle",
    include: ["test/lifecycle/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 420_000,
    hookTimeout: 60_000,
  },
});
