/**
 * The shells' completion scripts: each asks `synctrace __complete <the words so far>` for the words to offer
 * (src/cli/completion.ts), so flags after arguments, flag values and profile names come from the installed
 * synctrace itself; `:files` means "complete a path".
 */
export const completionShells = ['bash', 'zsh'] as const
export type CompletionShell = (typeof completionShells)[number]

const bash = `# synctrace completion for bash: eval "$(synctrace autocomplete bash)" in ~/.bashrc
_synctrace_complete() {
  local IFS=$'\\n' out
  out=$(synctrace __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
  if [[ "$out" == ":files" ]]; then
    COMPREPLY=($(compgen -f -- "\${COMP_WORDS[COMP_CWORD]}"))
  else
    COMPREPLY=($out)
  fi
}
complete -F _synctrace_complete synctrace
`

const zsh = `#compdef synctrace
# synctrace completion for zsh: eval "$(synctrace autocomplete zsh)" in ~/.zshrc, after compinit
_synctrace() {
  local out
  out=$(synctrace __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)
  if [[ "$out" == ":files" ]]; then
    _files
  elif [[ -n "$out" ]]; then
    compadd -- "\${(@f)out}"
  fi
}
compdef _synctrace synctrace
`

export function completionScript(shell: CompletionShell): string {
  return shell === 'bash' ? bash : zsh
}

export const completionSetup = `Set up shell completion (commands, flags also after arguments, --format values, --profile names from your config, --installation values):

  bash:  echo 'eval "$(synctrace autocomplete bash)"' >> ~/.bashrc
  zsh:   echo 'eval "$(synctrace autocomplete zsh)"' >> ~/.zshrc     (after compinit)

Then open a new shell. synctrace must be on your PATH (npm install -g, or npm link in a checkout).`
