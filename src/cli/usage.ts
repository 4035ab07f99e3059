/** A command's usage line, as a command-line mistake is told it (gh's style). */

export interface UsageSource {
  args?: Record<string, {name?: string; required?: boolean}>
  flags?: Record<string, {char?: string; required?: boolean; type?: string; options?: readonly string[]}>
  strict?: boolean
}

/** `synctrace refresh app --user <value> [flags]`: the arguments, the required flags, then [flags]. */
export function commandUsage(name: string, command: UsageSource): string {
  const args = Object.entries(command.args ?? {}).map(([key, arg]) => {
    const label = `<${key}>${command.strict === false ? '...' : ''}`
    return arg.required ? label : `[${label}]`
  })
  const required = Object.entries(command.flags ?? {})
    .filter(([, flag]) => flag.required)
    .map(([key, flag]) =>
      flag.type === 'boolean' ? `--${key}` : `--${key} <${flag.options ? flag.options.join('|') : 'value'}>`,
    )
  return [name, ...args, ...required, '[flags]'].join(' ')
}
