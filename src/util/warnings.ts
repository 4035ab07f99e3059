/**
 * Warnings from deep in the library (a config file or audit log others can read) reach the run's output
 * boundary through the sink the run context installs when it starts (`Output.warn`: stderr, once per text).
 * Until a run installs one, warnings are kept here (a library caller can read them with `takeWarnings`).
 */
let sink: ((message: string) => void) | null = null
const kept: string[] = []

export function installWarningSink(next: ((message: string) => void) | null): void {
  sink = next
}

export function warnUser(message: string): void {
  if (sink) sink(message)
  else if (!kept.includes(message)) kept.push(message)
}

export function takeWarnings(): string[] {
  return kept.splice(0)
}
