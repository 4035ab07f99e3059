import {Args} from '@oclif/core'

import {SynctraceCommand} from '../cli/base-command.js'

export default class Autocomplete extends SynctraceCommand<typeof Autocomplete> {
  static override summary = 'Print the shell completion script for bash or zsh (without a shell: how to set it up).'

  static override description =
    'The script completes commands, flags (also after the arguments), the values of --format and other choice flags, the profile names of your config file for --profile, and the sandbox installations for --installation. It asks synctrace itself at each TAB, so it stays right after an upgrade.'

  static override examples = [
    'eval "$(<%= config.bin %> <%= command.id %> bash)"   # in ~/.bashrc',
    'eval "$(<%= config.bin %> <%= command.id %> zsh)"    # in ~/.zshrc, after compinit',
  ]

  static override enableJsonFlag = false

  static override args = {
    shell: Args.string({description: 'bash or zsh.', options: ['bash', 'zsh'], required: false}),
  }

  public async run(): Promise<void> {
    const {args} = await this.parse(Autocomplete)
    const {completionScript, completionSetup} = await import('../cli/completion-scripts.js')
    if (!args.shell) {
      this.log(completionSetup)
      return
    }
    this.ctx.out.write('stdout', completionScript(args.shell as 'bash' | 'zsh'), {format: 'terminal'})
  }
}
