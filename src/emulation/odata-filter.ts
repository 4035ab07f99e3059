/**
 * A small OData v4 `$filter` evaluator for the sandbox's Business Central: `prop eq 'literal'`,
 * `ne`, `and`, `or`, parentheses; string literals with `''` for a quote. Anything else is a syntax error,
 * as a real server would answer for a filter built by pasting a value with a quote into it.
 */
type Token = {type: 'ident' | 'string' | 'number' | 'lparen' | 'rparen'; value: string; position: number}

export class ODataSyntaxError extends Error {}

function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  let index = 0
  while (index < text.length) {
    const char = text[index] as string
    if (char === ' ') {
      index++
    } else if (char === '(' || char === ')') {
      tokens.push({position: index, type: char === '(' ? 'lparen' : 'rparen', value: char})
      index++
    } else if (char === "'") {
      let value = ''
      let cursor = index + 1
      for (;;) {
        if (cursor >= text.length) throw new ODataSyntaxError(`Syntax error: unterminated string literal at position ${index} in '${text}'.`)
        if (text[cursor] === "'") {
          if (text[cursor + 1] === "'") {
            value += "'"
            cursor += 2
            continue
          }
          break
        }
        value += text[cursor]
        cursor++
      }
      tokens.push({position: index, type: 'string', value})
      index = cursor + 1
    } else if (/[0-9-]/.test(char)) {
      const match = /^-?\d+(\.\d+)?/.exec(text.slice(index))
      if (!match) throw new ODataSyntaxError(`Syntax error at position ${index} in '${text}'.`)
      tokens.push({position: index, type: 'number', value: match[0]})
      index += match[0].length
    } else if (/[A-Za-z_]/.test(char)) {
      const match = /^[A-Za-z_][A-Za-z0-9_/]*/.exec(text.slice(index)) as RegExpExecArray
      tokens.push({position: index, type: 'ident', value: match[0]})
      index += match[0].length
    } else {
      throw new ODataSyntaxError(`Syntax error at position ${index} in '${text}'.`)
    }
  }
  return tokens
}

export type Predicate = (entity: Record<string, unknown>) => boolean

export function parseFilter(text: string): Predicate {
  const tokens = tokenize(text)
  let position = 0
  const peek = () => tokens[position]
  const fail = (): never => {
    throw new ODataSyntaxError(`Syntax error at position ${peek()?.position ?? text.length} in '${text}'.`)
  }
  const expression = (): Predicate => {
    let left = conjunction()
    while (peek()?.type === 'ident' && peek()?.value === 'or') {
      position++
      const right = conjunction()
      const previous = left
      left = (entity) => previous(entity) || right(entity)
    }
    return left
  }
  const conjunction = (): Predicate => {
    let left = comparison()
    while (peek()?.type === 'ident' && peek()?.value === 'and') {
      position++
      const right = comparison()
      const previous = left
      left = (entity) => previous(entity) && right(entity)
    }
    return left
  }
  const comparison = (): Predicate => {
    const token = peek()
    if (!token) return fail()
    if (token.type === 'lparen') {
      position++
      const inner = expression()
      if (peek()?.type !== 'rparen') fail()
      position++
      return inner
    }
    if (token.type !== 'ident') return fail()
    position++
    const operator = peek()
    if (!operator || operator.type !== 'ident' || !['eq', 'ne', 'gt', 'ge', 'lt', 'le'].includes(operator.value)) return fail()
    position++
    const literal = peek()
    if (!literal || (literal.type !== 'string' && literal.type !== 'number')) return fail()
    position++
    const property = token.value
    const compare = (value: unknown): number => {
      const left = String(value ?? '')
      return literal.type === 'number' ? Number(left) - Number(literal.value) : left.localeCompare(literal.value)
    }
    switch (operator.value) {
      case 'eq':
        return (entity) => String(entity[property] ?? '') === literal.value
      case 'ne':
        return (entity) => String(entity[property] ?? '') !== literal.value
      case 'gt':
        return (entity) => compare(entity[property]) > 0
      case 'ge':
        return (entity) => compare(entity[property]) >= 0
      case 'lt':
        return (entity) => compare(entity[property]) < 0
      default:
        return (entity) => compare(entity[property]) <= 0
    }
  }
  const predicate = expression()
  if (position !== tokens.length) fail()
  return predicate
}
