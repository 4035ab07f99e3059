/** The seeded sandbox installations, as --installation's help lists them (a test keeps it equal to the seeds). */
export const sandboxInstallations = [
  'acme',
  'acme-plain',
  'nordic',
  'nordic-stale',
  'fjord',
  'monitor',
  'nimbus',
  'viking',
  'vnet',
  'winbas',
]

/** The generated installations of `--sandbox --scale`. */
export const scaleInstallationNames = ['scale', 'scale-ftp']

/** Every value `--installation` takes (shell completion offers them). */
export const installationValues = [...sandboxInstallations, ...scaleInstallationNames]
