#!/usr/bin/env -S node --import tsx
// Development entry point: runs the TypeScript sources directly (needs `tsx`, e.g. `npx tsx bin/dev.js ...`).
import {execute} from '@oclif/core'

await execute({development: true, dir: import.meta.url})
