#!/usr/bin/env bash
# Installs pgvector into the machine's PostgreSQL (15 on node-svc machines) by
# building Debian trixie's source package against postgresql-server-dev-N with
# PGXS. Only a deb-src entry for trixie is added (in its own sources file, with
# a pin that keeps apt from ever installing trixie binaries); both files are
# removed again when the script ends, so the machine's apt setup is unchanged.
#
# Idempotent: if vector.control is already in the server's extension dir it
# says so and exits 0 at once.
#
# Environment (all optional):
#   PG_MAJOR           PostgreSQL major version (default: detected)
#   PGVECTOR_VERSION   upstream version expected from trixie (default 0.8.0)
#   PGHOST / PGPORT / PGDATABASE   for the verification (127.0.0.1 / 5432 / test)
#   KEEP_BUILD_DIR=1   keep the temporary build directory (for debugging)
set -euo pipefail

PGVECTOR_VERSION="${PGVECTOR_VERSION:-0.8.0}"
VERIFY_HOST="${PGHOST:-127.0.0.1}"
VERIFY_PORT="${PGPORT:-5432}"
VERIFY_DB="${PGDATABASE:-test}"
SRC_LIST=/etc/apt/sources.list.d/attest-trixie-src.sources
PIN_FILE=/etc/apt/preferences.d/attest-trixie-src.pref

log() { printf '[install-pgvector] %s\n' "$*"; }
die() { printf '[install-pgvector] ERROR: %s\n' "$*" >&2; exit 1; }

# --- which PostgreSQL -------------------------------------------------------
detect_pg_major() {
  if [[ -n "${PG_MAJOR:-}" ]]; then printf '%s\n' "$PG_MAJOR"; return; fi
  if [[ -x /usr/lib/postgresql/15/bin/pg_config || -d /etc/postgresql/15 ]]; then echo 15; return; fi
  local dir majors=()
  for dir in /etc/postgresql/*/; do
    dir=${dir%/}; dir=${dir##*/}
    [[ "$dir" =~ ^[0-9]+$ ]] && majors+=("$dir")
  done
  [[ ${#majors[@]} -gt 0 ]] || die "no PostgreSQL cluster found under /etc/postgresql; set PG_MAJOR"
  [[ ${#majors[@]} -eq 1 ]] || die "several PostgreSQL versions under /etc/postgresql (${majors[*]}); set PG_MAJOR"
  printf '%s\n' "${majors[0]}"
}

PG_MAJOR=$(detect_pg_major)
PG_CONFIG="/usr/lib/postgresql/${PG_MAJOR}/bin/pg_config"

if [[ -x "$PG_CONFIG" ]]; then
  EXT_DIR="$("$PG_CONFIG" --sharedir)/extension"
else
  EXT_DIR="/usr/share/postgresql/${PG_MAJOR}/extension"
fi

# --- fast path --------------------------------------------------------------
if [[ -f "$EXT_DIR/vector.control" ]]; then
  installed=$(sed -n "s/^default_version *= *'\(.*\)'.*/\1/p" "$EXT_DIR/vector.control" | head -n1)
  log "pgvector ${installed:-?} is already installed for PostgreSQL ${PG_MAJOR} ($EXT_DIR/vector.control exists); skipping."
  exit 0
fi

# --- install ----------------------------------------------------------------
SUDO=()
if [[ $EUID -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || die "must run as root (or with sudo available) to install packages"
  SUDO=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive

start=$SECONDS
cleanup() {
  local rc=$?
  "${SUDO[@]}" rm -f "$SRC_LIST" "$PIN_FILE"
  if [[ $rc -ne 0 || "${KEEP_BUILD_DIR:-0}" == 1 ]]; then
    log "build directory kept: $WORK_DIR" >&2
  else
    rm -rf "$WORK_DIR"
  fi
  exit "$rc"
}
WORK_DIR=$(mktemp -d /tmp/pgvector-build.XXXXXX)
trap cleanup EXIT
BUILD_LOG="$WORK_DIR/build.log"
SRC_PARENT="$WORK_DIR/src"
mkdir "$SRC_PARENT"
# As root, let apt's unprivileged _apt user write the download (else apt warns
# that it downloads "unsandboxed as root").
if [[ $EUID -eq 0 ]] && id _apt >/dev/null 2>&1; then
  chmod 755 "$WORK_DIR"
  chown _apt "$SRC_PARENT"
fi

# Run a step, sending its output to the build log; on failure name the step.
step() {
  local what=$1; shift
  log "$what"
  if ! "$@" >>"$BUILD_LOG" 2>&1; then
    printf '[install-pgvector] last lines of %s:\n' "$BUILD_LOG" >&2
    tail -n 25 "$BUILD_LOG" | sed 's/^/    /' >&2 || true
    die "step failed: $what (command: $*)"
  fi
}

log "adding deb-src for Debian trixie ($SRC_LIST; source packages only)"
"${SUDO[@]}" tee "$SRC_LIST" >/dev/null <<'EOF'
# Added by attest scripts/install-pgvector.sh: source packages only (deb-src),
# used to build pgvector; removed again when the script ends.
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
# deb-src entries bring no binary indexes, but pin trixie out anyway so that no
# trixie binary can ever be chosen while this file is in place.
"${SUDO[@]}" tee "$PIN_FILE" >/dev/null <<'EOF'
# Added by attest scripts/install-pgvector.sh: never install trixie binaries.
Package: *
Pin: release n=trixie
Pin-Priority: -1
EOF

step "apt-get update" "${SUDO[@]}" apt-get update -q
step "installing build dependencies (postgresql-server-dev-${PG_MAJOR}, build-essential, dpkg-dev)" \
  "${SUDO[@]}" apt-get install -y -q --no-install-recommends \
  "postgresql-server-dev-${PG_MAJOR}" build-essential make gcc dpkg-dev

[[ -x "$PG_CONFIG" ]] || die "$PG_CONFIG missing after installing postgresql-server-dev-${PG_MAJOR}"
EXT_DIR="$("$PG_CONFIG" --sharedir)/extension"

step "fetching pgvector source from trixie (apt-get source)" \
  bash -c "cd '$SRC_PARENT' && apt-get source -q pgvector/trixie"

SRC_DIR=$(find "$SRC_PARENT" -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | head -n1)
[[ -n "$SRC_DIR" && -f "$SRC_DIR/Makefile" ]] || die "apt-get source did not unpack a pgvector tree into $SRC_PARENT"
src_version=${SRC_DIR##*/pgvector-}
if [[ "$src_version" != "$PGVECTOR_VERSION" ]]; then
  die "trixie ships pgvector $src_version, expected $PGVECTOR_VERSION (set PGVECTOR_VERSION to accept it)"
fi

# OPTFLAGS="" as Debian builds it (no -march=native, so the .so is portable);
# pgvector picks CPU-specific code paths at run time.
step "building pgvector $src_version against PostgreSQL ${PG_MAJOR} (PGXS)" \
  make -C "$SRC_DIR" -j"$(nproc)" PG_CONFIG="$PG_CONFIG" OPTFLAGS=""
step "make install" "${SUDO[@]}" make -C "$SRC_DIR" install PG_CONFIG="$PG_CONFIG" OPTFLAGS=""

[[ -f "$EXT_DIR/vector.control" ]] || die "make install finished but $EXT_DIR/vector.control is missing"
log "installed pgvector $src_version into $EXT_DIR in $((SECONDS - start)) s"

# --- verify -----------------------------------------------------------------
# shellcheck disable=SC2016 # $$vector$$ is SQL dollar quoting, not a shell expansion
verify_sql='CREATE EXTENSION IF NOT EXISTS vector; SELECT extversion FROM pg_extension WHERE extname = $$vector$$'
out=""
role_used=""
for role in postgres root; do
  if out=$(psql -X -w -h "$VERIFY_HOST" -p "$VERIFY_PORT" -U "$role" -d "$VERIFY_DB" -v ON_ERROR_STOP=1 -c "$verify_sql" 2>&1); then
    role_used=$role
    break
  fi
done
[[ -n "$role_used" ]] || die "installed, but CREATE EXTENSION vector failed on $VERIFY_HOST:$VERIFY_PORT/$VERIFY_DB as postgres and as root: $out"
log "verified as role '$role_used' on $VERIFY_HOST:$VERIFY_PORT/$VERIFY_DB:"
printf '%s\n' "$out"
if ! grep -qE "^[[:space:]]*${PGVECTOR_VERSION//./\\.}[[:space:]]*$" <<<"$out"; then
  log "warning: the database's vector extension is not at $PGVECTOR_VERSION; run 'ALTER EXTENSION vector UPDATE' there" >&2
fi
log "done in $((SECONDS - start)) s"
