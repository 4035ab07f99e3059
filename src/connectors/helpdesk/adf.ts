/**
 * The Atlassian Document Format as Jira Cloud's v3 comment body takes it, for the nodes and marks a note
 * can hold (what marklassian makes of synctrace's Markdown). The ADF JSON Schema (`@atlaskit/adf-schema`) is not
 * available here, so its rules for these nodes are written out: which node may hold which, required attributes,
 * no empty text, marks only on text and only the known ones, `code` combined with nothing but `link`.
 */
export interface AdfNode {
  type: string
  attrs?: Record<string, unknown>
  content?: AdfNode[]
  marks?: Array<{type: string; attrs?: Record<string, unknown>}>
  text?: string
}

export interface AdfDocument {
  type: 'doc'
  version: 1
  content: AdfNode[]
}

const inline = ['text', 'hardBreak']
const listBlocks = ['bulletList', 'orderedList', 'taskList']
const blocks = ['paragraph', 'heading', 'codeBlock', 'blockquote', 'rule', 'table', ...listBlocks]

/** What each node may hold (`null`: nothing), and whether it must hold at least one. */
const children: Record<string, {allowed: string[] | null; atLeastOne?: true}> = {
  blockquote: {allowed: ['paragraph', 'bulletList', 'orderedList', 'codeBlock'], atLeastOne: true},
  bulletList: {allowed: ['listItem'], atLeastOne: true},
  codeBlock: {allowed: ['text']},
  hardBreak: {allowed: null},
  heading: {allowed: inline},
  listItem: {allowed: ['paragraph', 'codeBlock', ...listBlocks], atLeastOne: true},
  orderedList: {allowed: ['listItem'], atLeastOne: true},
  paragraph: {allowed: inline},
  rule: {allowed: null},
  table: {allowed: ['tableRow'], atLeastOne: true},
  tableCell: {allowed: blocks.filter((type) => type !== 'table'), atLeastOne: true},
  tableHeader: {allowed: blocks.filter((type) => type !== 'table'), atLeastOne: true},
  tableRow: {allowed: ['tableCell', 'tableHeader'], atLeastOne: true},
  taskItem: {allowed: inline},
  taskList: {allowed: ['taskItem', 'taskList'], atLeastOne: true},
  text: {allowed: null},
}

const marks = new Set(['strong', 'em', 'strike', 'code', 'link', 'underline'])

/** The problems of one text node's marks. */
function markProblems(node: AdfNode, path: string): string[] {
  if (node.marks === undefined) return []
  if (!Array.isArray(node.marks)) return [`${path}: marks is not an array`]
  const problems: string[] = []
  const types = node.marks.map((mark) => mark?.type)
  for (const type of types) if (!marks.has(type)) problems.push(`${path}: unknown mark ${String(type)}`)
  if (new Set(types).size !== types.length) problems.push(`${path}: a mark is repeated`)
  if (types.includes('code') && types.some((type) => type !== 'code' && type !== 'link'))
    problems.push(`${path}: the code mark is combined with a mark other than link`)
  for (const mark of node.marks)
    if (mark?.type === 'link' && (typeof mark.attrs?.href !== 'string' || mark.attrs.href === ''))
      problems.push(`${path}: a link mark without href`)
  return problems
}

/** The problems of a node's own fields (text, attributes), apart from what it holds. */
function ownProblems(node: AdfNode, parent: string, path: string): string[] {
  const problems: string[] = []
  if (node.type === 'text') {
    if (typeof node.text !== 'string' || node.text.length === 0) problems.push(`${path}: a text node without text`)
    if (parent === 'codeBlock' && node.marks?.length) problems.push(`${path}: marks inside a codeBlock`)
    problems.push(...markProblems(node, path))
  } else if (node.marks !== undefined) problems.push(`${path}: marks on a ${node.type} node`)
  if (node.type === 'heading') {
    const level = node.attrs?.level
    if (typeof level !== 'number' || !Number.isInteger(level) || level < 1 || level > 6)
      problems.push(`${path}: a heading without a level from 1 to 6`)
  }
  if (node.type === 'orderedList' && node.attrs?.order !== undefined) {
    const order = node.attrs.order
    if (typeof order !== 'number' || !Number.isInteger(order) || order < 0)
      problems.push(`${path}: orderedList order is not a whole number from 0`)
  }
  if ((node.type === 'taskList' || node.type === 'taskItem') && typeof node.attrs?.localId !== 'string')
    problems.push(`${path}: a ${node.type} without localId`)
  if (node.type === 'taskItem' && node.attrs?.state !== 'TODO' && node.attrs?.state !== 'DONE')
    problems.push(`${path}: a taskItem state other than TODO or DONE`)
  return problems
}

function nodeProblems(node: AdfNode, parent: string, path: string): string[] {
  if (!node || typeof node !== 'object' || typeof node.type !== 'string') return [`${path}: not a node`]
  const rule = children[node.type]
  if (!rule) return [`${path}: unknown node ${node.type}`]
  const problems = ownProblems(node, parent, path)
  const content = node.content
  if (rule.allowed === null) {
    if (content !== undefined) problems.push(`${path}: a ${node.type} holds content`)
    return problems
  }
  if (content === undefined || !Array.isArray(content)) {
    if (rule.atLeastOne) problems.push(`${path}: a ${node.type} without content`)
    return problems
  }
  if (rule.atLeastOne && content.length === 0) problems.push(`${path}: an empty ${node.type}`)
  if (node.type === 'listItem' && listBlocks.includes(content[0]?.type ?? ''))
    problems.push(`${path}: a listItem that starts with a list`)
  content.forEach((child, index) => {
    const at = `${path}.content[${index}]`
    if (child && !rule.allowed?.includes(child.type)) problems.push(`${at}: a ${child.type} inside a ${node.type}`)
    else problems.push(...nodeProblems(child, node.type, at))
  })
  return problems
}

/** The document's problems against the ADF rules; empty when it is valid. */
export function checkAdf(document: unknown): string[] {
  const doc = document as AdfDocument
  if (!doc || typeof doc !== 'object' || doc.type !== 'doc') return ['doc: not an ADF document']
  const problems = doc.version === 1 ? [] : ['doc: version is not 1']
  if (!Array.isArray(doc.content)) return [...problems, 'doc: content is not an array']
  doc.content.forEach((node, index) => {
    const at = `doc.content[${index}]`
    if (node && !blocks.includes(node.type)) problems.push(`${at}: a ${node.type} directly under doc`)
    else problems.push(...nodeProblems(node, 'doc', at))
  })
  return problems
}

/** What separates the children of a node in its plain text: blocks go on their own lines, cells get a bar. */
const textSeparators: Record<string, string> = {
  blockquote: '\n',
  bulletList: '\n',
  doc: '\n',
  listItem: '\n',
  orderedList: '\n',
  table: '\n',
  tableCell: '\n',
  tableHeader: '\n',
  tableRow: ' | ',
  taskList: '\n',
}

/** The plain text of an ADF document (a description or comment read back): its text nodes, as data. */
export function adfText(node: unknown): string {
  if (!node || typeof node !== 'object') return typeof node === 'string' ? node : ''
  const {content, text, type} = node as AdfNode
  if (type === 'text') return typeof text === 'string' ? text : ''
  if (type === 'hardBreak') return '\n'
  return (Array.isArray(content) ? content.map(adfText) : []).join(textSeparators[type] ?? '')
}

/**
 * The longest comment Jira Cloud takes: its text fields' 32 767 characters, counted on the ADF body as JSON
 * text (docs/contract-readings.md).
 */
export const jiraMaxCommentLength = 32_767
