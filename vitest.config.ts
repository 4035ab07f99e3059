import {defineConfig} from 'vitest/config'

// Two tiers (README, "Development"):
//   `npm test`           → project "test": test/unit (no servers), test/lib (the library against sandbox servers),
//                          test/cmd (commands in process), test/e2e (the smoke tier: bin/run.js spawned) and
//                          test/scenarios (a few hundred generated histories). Within 5 minutes on 2 cores.
//   `npm run test:scale` → project "scale": test/scale (100k-record reconciles and other long runs).
export default defineConfig({
  test: {
    // Sandbox servers on loopback, and the smoke tier's spawned CLI: give them room on a loaded 2-core machine.
    hookTimeout: 60_000,
    pool: 'forks',
    poolOptions: {forks: {maxForks: 2, minForks: 1}},
    projects: [
      {extends: true, test: {exclude: ['test/scale/**'], include: ['test/**/*.test.ts'], name: 'test'}},
      {extends: true, test: {include: ['test/scale/**/*.test.ts'], name: 'scale', testTimeout: 600_000}},
    ],
    // The built library (dist/) is loaded by Node itself, not transformed: a command oclif loads in process
    // (test/helpers/run-command.ts) and the test then share one instance of every module (its run context).
    server: {deps: {external: [/\/dist\//]}},
    testTimeout: 60_000,
  },
})
