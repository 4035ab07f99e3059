#!/usr/bin/env node
// The largest source files and the longest functions under src/, for keeping both small (docs/architecture.md):
// `npm run sizes [-- --top N] [-- --max-file L --max-function L]`. With limits, exits 1 when one is exceeded.
import {readdirSync, readFileSync} from 'node:fs'
import {join, relative} from 'node:path'
import ts from 'typescript'

const args = process.argv.slice(2)
const option = (name, fallback) => {
  const index = args.indexOf(name)
  return index === -1 ? fallback : Number(args[index + 1])
}
const top = option('--top', 10)
const maxFile = option('--max-file', Number.POSITIVE_INFINITY)
const maxFunction = option('--max-function', Number.POSITIVE_INFINITY)

const root = new URL('..', import.meta.url).pathname
const files = []
const walk = (dir) => {
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) walk(path)
    else if (entry.name.endsWith('.ts')) files.push(path)
  }
}
walk(join(root, 'src'))

const fileSizes = []
const functions = []
for (const path of files) {
  const text = readFileSync(path, 'utf8')
  const name = relative(root, path)
  fileSizes.push({lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0), name})
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true)
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line
      const end = source.getLineAndCharacterOfPosition(node.end).line
      const label =
        node.name && ts.isIdentifier(node.name)
          ? node.name.text
          : ts.isArrowFunction(node) || ts.isFunctionExpression(node)
            ? '(anonymous)'
            : '(function)'
      // Only the outermost functions count: an inner one is part of its parent's length.
      functions.push({at: `${name}:${start + 1}`, lines: end - start + 1, name: label})
      return
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
}

fileSizes.sort((a, b) => b.lines - a.lines)
functions.sort((a, b) => b.lines - a.lines)
if (top > 0) {
  console.log(`largest files (of ${fileSizes.length}):`)
  for (const file of fileSizes.slice(0, top)) console.log(`  ${String(file.lines).padStart(5)}  ${file.name}`)
  console.log(`longest functions (of ${functions.length}):`)
  for (const fn of functions.slice(0, top)) console.log(`  ${String(fn.lines).padStart(5)}  ${fn.name}  ${fn.at}`)
}
const tooLarge = fileSizes.filter((file) => file.lines > maxFile)
const tooLong = functions.filter((fn) => fn.lines > maxFunction)
if (tooLarge.length > 0 || tooLong.length > 0) {
  for (const file of tooLarge) console.error(`  ${file.name}: ${file.lines} lines (at most ${maxFile})`)
  for (const fn of tooLong) console.error(`  ${fn.name} at ${fn.at}: ${fn.lines} lines (at most ${maxFunction})`)
  console.error(
    `${tooLarge.length} files over ${maxFile} lines, ${tooLong.length} functions over ${maxFunction} lines: split them (docs/architecture.md)`,
  )
  process.exit(1)
}
if (Number.isFinite(maxFile) || Number.isFinite(maxFunction))
  console.log(
    `sizes: ${fileSizes.length} files of at most ${maxFile} lines, ${functions.length} functions of at most ${maxFunction} lines`,
  )
