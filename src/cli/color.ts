/**
 * Colour is decided once per run: --no-color, NO_COLOR, TERM=dumb and a non-TTY stream turn it off;
 * FORCE_COLOR turns it on (as chalk's own convention), unless --no-color was given.
 */
export function shouldUseColor(colorFlag: boolean, env: NodeJS.ProcessEnv, isTty: boolean): boolean {
  if (!colorFlag) return false
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false'
  if (env.TERM === 'dumb') return false
  return isTty
}
