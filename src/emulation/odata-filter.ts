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
        if (cursor >= text.length)
          throw new ODataSyntaxError(`Syntax error: unterminated string literal at position ${index} in '${text}'.`)
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
  return new FilterParser(text, tokenize(text)).parse()
}

const operators = ['eq', 'ne', 'gt', 'ge', 'lt', 'le']

/** A recursive-descent parser: `or` binds looser than `and`, which binds looser than a comparison or parentheses. */
class FilterParser {
  private position = 0

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  parse(): Predicate {
    const predicate = this.expression()
    if (this.position !== this.tokens.length) this.fail()
    return predicate
  }

  private peek(): Token | undefined {
    return this.tokens[this.position]
  }

  private fail(): never {
    throw new ODataSyntaxError(
      `Syntax error at position ${this.peek()?.position ?? this.text.length} in '${this.text}'.`,
    )
  }

  private isKeyword(word: string): boolean {
    const token = this.peek()
    return token?.type === 'ident' && token.value === word
  }

  private expression(): Predicate {
    let left = this.conjunction()
    while (this.isKeyword('or')) {
      this.position++
      const right = this.conjunction()
      const previous = left
      left = (entity) => previous(entity) || right(entity)
    }
    return left
  }

  private conjunction(): Predicate {
    let left = this.comparison()
    while (this.isKeyword('and')) {
      this.position++
      const right = this.comparison()
      const previous = left
      left = (entity) => previous(entity) && right(entity)
    }
    return left
  }

  private comparison(): Predicate {
    const token = this.peek()
    if (!token) return this.fail()
    if (token.type === 'lparen') {
      this.position++
      const inner = this.expression()
      if (this.peek()?.type !== 'rparen') this.fail()
      this.position++
      return inner
    }
    if (token.type !== 'ident') return this.fail()
    this.position++
    const operator = this.peek()
    if (!operator || operator.type !== 'ident' || !operators.includes(operator.value)) return this.fail()
    this.position++
    const literal = this.peek()
    if (!literal || (literal.type !== 'string' && literal.type !== 'number')) return this.fail()
    this.position++
    return comparisonOf(token.value, operator.value, literal)
  }
}

/** `property operator literal` as a predicate: `eq` and `ne` on the text, the others by number or by text. */
function comparisonOf(property: string, operator: string, literal: Token): Predicate {
  const compare = (value: unknown): number => {
    const left = String(value ?? '')
    return literal.type === 'number' ? Number(left) - Number(literal.value) : left.localeCompare(literal.value)
  }
  switch (operator) {
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
