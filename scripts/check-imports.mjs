// The import rules of docs/architecture.md, checked over src/ (part of `npm run lint`):
// - no import cycle between files, nor between the folders directly under src/;
// - nothing outside src/cli and src/commands imports them (the flow runs one way: command → library);
// - nothing below the CLI touches the process's streams or exit code (process.stdout, process.stderr,
//   process.stdin, process.exitCode, process.exit): the library writes through the run context
//   (src/context/run-context.ts); only src/cli, src/commands and the oclif hook (an entry point) may.
// - emulation apart from production (a trace never loads emulator code): no file of the library loads, directly or
//   through the files it loads, anything of src/sandbox or src/emulation; src/cli and src/commands load them only
//   through a dynamic `import()` (`import type` loads nothing).
// Static imports, `import type` and dynamic `import()` all count. Prints the cycles and exits 1 when any rule is broken.
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {dirname, join, normalize, relative, sep} from 'node:path'
import {fileURLToPath} from 'node:url'

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src')

function filesUnder(folder) {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name)
    if (statSync(path).isDirectory()) return filesUnder(path)
    return name.endsWith('.ts') ? [path] : []
  })
}

const files = filesUnder(src)
const importPattern =
  /(?:^|[\s;])(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g
const edges = new Map(files.map((file) => [file, new Set()]))
/** What each file loads (every import but `import type`), and which of those loads are static. */
const loads = new Map(files.map((file) => [file, new Set()]))
const staticLoads = []
for (const file of files) {
  const text = readFileSync(file, 'utf8')
  for (const match of text.matchAll(importPattern)) {
    const target = normalize(join(dirname(file), (match[2] ?? match[3]).replace(/\.js$/, '.ts')))
    if (!edges.has(target) || target === file) continue
    edges.get(file).add(target)
    if (match[1] !== undefined) continue
    loads.get(file).add(target)
    if (match[2] !== undefined) staticLoads.push([file, target])
  }
}

const folderOf = (file) => relative(src, file).split(sep)[0].replace(/\.ts$/, '')

/** Every cycle reachable in a graph, each once (depth-first search with a path stack). */
function cycles(graph) {
  const found = []
  const seen = new Set()
  const state = new Map()
  const stack = []
  const visit = (node) => {
    state.set(node, 'active')
    stack.push(node)
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'active') {
        const cycle = stack.slice(stack.indexOf(next))
        const key = [...cycle].sort().join(' ')
        if (!seen.has(key)) {
          seen.add(key)
          found.push([...cycle, next])
        }
      } else if (!state.has(next)) visit(next)
    }
    stack.pop()
    state.set(node, 'done')
  }
  for (const node of graph.keys()) if (!state.has(node)) visit(node)
  return found
}

const folders = new Map()
const folderEdges = []
for (const [file, targets] of edges) {
  const from = folderOf(file)
  if (!folders.has(from)) folders.set(from, new Set())
  for (const target of targets) {
    const to = folderOf(target)
    if (to === from) continue
    folders.get(from).add(to)
    folderEdges.push([from, to, relative(src, file), relative(src, target)])
  }
}

const problems = []
for (const cycle of cycles(edges)) problems.push(`file cycle: ${cycle.map((file) => relative(src, file)).join(' → ')}`)
for (const cycle of cycles(folders)) {
  const examples = cycle
    .slice(0, -1)
    .map((from, index) => folderEdges.find(([a, b]) => a === from && b === cycle[index + 1]))
    .map(([, , file, target]) => `${file} imports ${target}`)
  problems.push(`folder cycle: ${cycle.join(' → ')} (${examples.join('; ')})`)
}
// The oclif hook (src/hooks) is an entry point like a command: it may use the CLI's run context and error view.
for (const [from, to, file, target] of folderEdges)
  if ((to === 'commands' || (to === 'cli' && from !== 'hooks')) && from !== 'cli' && from !== 'commands')
    problems.push(`${file} imports ${target}: nothing below the CLI imports it`)
const emulation = new Set(['sandbox', 'emulation'])
const commandLine = new Set(['cli', 'commands'])
/** The first file of the sandbox or its emulation that a file loads, directly or not, with the path to it. */
function emulationLoadedBy(file) {
  const seen = new Set([file])
  const queue = [[file]]
  while (queue.length > 0) {
    const path = queue.shift()
    for (const next of loads.get(path.at(-1))) {
      if (seen.has(next)) continue
      if (emulation.has(folderOf(next))) return [...path, next]
      seen.add(next)
      queue.push([...path, next])
    }
  }
  return undefined
}
for (const file of files) {
  const folder = folderOf(file)
  if (emulation.has(folder) || commandLine.has(folder)) continue
  const path = emulationLoadedBy(file)
  if (path)
    problems.push(`${path.map((step) => relative(src, step)).join(' → ')}: the library never loads emulation code`)
}
for (const [file, target] of staticLoads)
  if (emulation.has(folderOf(target)) && commandLine.has(folderOf(file)))
    problems.push(
      `${relative(src, file)} imports ${relative(src, target)} statically: the CLI loads the sandbox only through import()`,
    )

const processStreams = /\bprocess\s*\.\s*(stdout|stderr|stdin|exitCode|exit)\b/
const entryFolders = new Set(['cli', 'commands', 'hooks'])
for (const file of files) {
  if (entryFolders.has(folderOf(file))) continue
  const lines = readFileSync(file, 'utf8').split('\n')
  lines.forEach((line, index) => {
    const code = line.replace(/\/\/.*$/, '').replace(/^\s*\*.*$/, '')
    const match = processStreams.exec(code)
    if (match)
      problems.push(
        `${relative(src, file)}:${index + 1} uses process.${match[1]}: below the CLI, write through the run context`,
      )
  })
}

if (problems.length > 0) {
  console.error(problems.join('\n'))
  process.exit(1)
}
console.log(
  `imports: ${files.length} files in ${folders.size} folders, no cycles, the CLI imported by nothing below it, the sandbox and its emulation only loaded on demand, no process streams below the CLI`,
)
