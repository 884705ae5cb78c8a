#!/usr/bin/env bash
# Installs Debian's Chromium (/usr/bin/chromium) for the browser tests, unless
# it is already there, and prints its version. Idempotent.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

log() { printf '[install-chromium] %s\n' "$*"; }
die() { printf '[install-chromium] ERROR: %s\n' "$*" >&2; exit 1; }

if [[ -x "$CHROMIUM" ]]; then
  log "$CHROMIUM already installed"
else
  SUDO=()
  if [[ $EUID -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || die "$CHROMIUM is missing and installing it needs root (or sudo)"
    SUDO=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  start=$SECONDS
  log_file=$(mktemp /tmp/install-chromium.XXXXXX.log)

  apt_update() {
    log "apt-get update"
    "${SUDO[@]}" apt-get update -q >>"$log_file" 2>&1 || { tail -n 20 "$log_file" >&2; die "apt-get update failed (log: $log_file)"; }
  }
  apt_install() {
    "${SUDO[@]}" apt-get install -y -q --no-install-recommends chromium >>"$log_file" 2>&1
  }

  # Refresh the package lists first if apt does not know chromium yet (a new
  # machine, or lists never downloaded).
  candidate=$(apt-cache policy chromium 2>/dev/null | sed -n 's/^ *Candidate: *//p')
  if [[ -z "$candidate" || "$candidate" == "(none)" ]]; then
    apt_update
  fi
  log "apt-get install chromium"
  if ! apt_install; then
    # Stale lists point at files the mirror no longer has: refresh once, retry.
    log "install failed; refreshing package lists and retrying"
    apt_update
    apt_install || { tail -n 20 "$log_file" >&2; die "apt-get install chromium failed (log: $log_file)"; }
  fi
  rm -f "$log_file"
  [[ -x "$CHROMIUM" ]] || die "chromium package installed but $CHROMIUM is missing"
  log "installed in $((SECONDS - start)) s"
fi

version=$("$CHROMIUM" --version 2>/dev/null) || die "$CHROMIUM --version failed"
log "$version"
