import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    // End-to-end tests spawn the built CLI against sandbox servers on loopback: give them room on 2 cores.
    hookTimeout: 60_000,
    // test/unit (no servers), test/lib (the library against sandbox servers), test/e2e (bin/run.js), test/scenarios.
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // The built library (dist/) is loaded by Node itself, not transformed: a command oclif loads in process
    // (test/helpers/run-command.ts) and the test then share one instance of every module (its run context).
    server: {deps: {external: [/\/dist\//]}},
    poolOptions: {forks: {maxForks: 2, minForks: 1}},
    testTimeout: 60_000,
  },
})
