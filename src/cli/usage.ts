/** What a command line mistake is told: one line of cause and the command's usage line (gh's style). */

export interface UsageSource {
  args?: Record<string, {name?: string; required?: boolean}>
  flags?: Record<string, {char?: string; required?: boolean; type?: string; options?: readonly string[]}>
  strict?: boolean
}

/** oclif's parse error message, as one sentence: "Missing required flag --user." */
export function parseErrorLine(message: string): string {
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter(
      (line) =>
        line !== '' && !/^See more help with --help$/.test(line) && !/^The following errors? occurred:$/.test(line),
    )
  let line = lines[0] ?? 'Invalid command line.'
  // "Missing 1 required arg:" followed by "code  The customer code …" lines: name the arguments.
  if (/^Missing \d+ required args?:$/.test(line)) {
    // Each argument is "name  description"; a description wrapped onto further lines is not an argument.
    const described = message
      .split('\n')
      .slice(1)
      .filter((entry) => /^\s*\S+(\s{2,}|$)/.test(entry) && entry.trim() !== '')
    const names = described
      .filter((entry) => !/^\s*See more help/.test(entry) && (/\S\s{2,}\S/.test(entry) || described.length === 1))
      .map((entry) => `<${entry.trim().split(/\s+/)[0]}>`)
    line = `Missing the argument${names.length === 1 ? '' : 's'} ${names.join(', ')}`
  }
  line = line.replace(/^Missing required flag (\w[\w-]*)$/, 'Missing required flag --$1')
  line = line.replace(/\s*See more help with --help$/, '')
  // eslint-disable-next-line no-control-regex
  line = line.replace(/\u001B\[[0-9;]*m/g, '')
  return /[.:!?]$/.test(line) ? line : `${line}.`
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
