#!/usr/bin/env sh
# Runs Nx the way this repository always does: no Nx Cloud, no daemon, never a prompt.
export NX_NO_CLOUD=true NX_DAEMON=false NX_INTERACTIVE=false NX_TUI=false
exec npx --no-install nx "$@"
