// Plays generated histories through the sandbox and compares synctrace's verdicts with the oracle's.
//   npm run scenarios -- --count N [--seed S] [--concurrency C] [--entity customer|item|order|price] [--verbose]
// Prints "N histories, K disagreements" and exits 1 when K > 0. Needs `npm run build` first. The histories are test
// code (test/history, over the built library in dist/): `npm run scenarios` runs this script through tsx.
import {parseArgs} from 'node:util'

const {values} = parseArgs({
  options: {
    concurrency: {default: '4', type: 'string'},
    count: {default: '200', type: 'string'},
    entity: {type: 'string'},
    seed: {type: 'string'},
    verbose: {default: false, type: 'boolean'},
  },
})
const count = Number(values.count)
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed)
if (!Number.isInteger(count) || count < 1 || !Number.isInteger(seed)) {
  console.error('usage: npm run scenarios -- --count N [--seed S] [--concurrency C] [--entity E] [--verbose]')
  process.exit(2)
}
const {describeOutcome, runHistories} = await import('../test/history/runner.ts')
const result = await runHistories({concurrency: Number(values.concurrency), count, entity: values.entity, seed})
for (const outcome of result.disagreements) console.log(`${describeOutcome(outcome)}\n`)
if (values.verbose)
  for (const outcome of result.outcomes.filter((entry) => entry.agree)) console.log(`${describeOutcome(outcome)}\n`)
const invariantNote =
  result.invariantFailures.length > 0 ? `, ${result.invariantFailures.length} reports failing the invariants` : ''
const skipped = result.outcomes.length - result.played
console.log(
  `seeds ${seed}..${seed + result.outcomes.length - 1} (${skipped} ambiguous histories set aside), ${(result.ms / 1000).toFixed(1)} s`,
)
for (const outcome of result.invariantFailures.slice(0, 5))
  console.log(`invariants, seed ${outcome.history.seed}: ${outcome.invariantProblems.join('; ')}`)
console.log(`${result.played} histories, ${result.disagreements.length} disagreements${invariantNote}`)
process.exit(result.disagreements.length > 0 ? 1 : 0)
