# Shared helpers of the conformance scripts. Sourced, not run.
#
# Everything these scripts download or build lives under one cache directory,
# $GVNIC_CACHE (default ~/.cache/gvnic-conformance), so a second run reuses it:
#   apt/<name>/     private apt state for suites the host does not track (download only, never install)
#   qemu/           qemu-system-x86_64 built from Debian's source package (qemu/prefix/bin/...)
#   kernels/<tag>/  vmlinuz, config and the module tree of one Debian kernel package
#   initramfs/      busybox initramfs per kernel
#   logs/           build logs and guest serial logs

set -euo pipefail

GVNIC_CACHE="${GVNIC_CACHE:-$HOME/.cache/gvnic-conformance}"
CONF_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
DEBIAN_SECURITY_MIRROR="${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
mkdir -p "$GVNIC_CACHE/logs"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Prints the first of its arguments that exists (unmatched globs stay literal and are skipped).
first_existing() {
    local f
    for f in "$@"; do [ -e "$f" ] && { echo "$f"; return 0; }; done
    return 0
}

# The host must be Debian (the scripts use its packages) and we must be root to install them.
require_debian_root() {
    [ -r /etc/debian_version ] || die "these scripts need a Debian host (apt-get); /etc/debian_version is missing"
    [ "$(id -u)" = 0 ] || die "run as root: build dependencies are installed with apt-get"
}

# Installs the named Debian packages that are not installed yet. A package written NAME/SUITE
# comes from SUITE (used for bookworm-backports; its sources file is added by ensure_backports).
apt_install() {
    local missing=() p name
    for p in "$@"; do
        name="${p%%/*}"
        if ! dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$p")
        fi
    done
    [ "${#missing[@]}" = 0 ] && return 0
    log "apt-get install ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2
}

# Adds <codename>-backports to the host's sources (backports are never picked unless asked for).
ensure_backports() {
    local codename file
    codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
    [ -n "$codename" ] || die "cannot tell the Debian release from /etc/os-release"
    file="/etc/apt/sources.list.d/gvnic-conformance-backports.sources"
    if [ ! -e "$file" ] && ! grep -rqs "${codename}-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
        log "adding ${codename}-backports to $file"
        cat > "$file" <<SRC
Types: deb
URIs: $DEBIAN_MIRROR
Suites: ${codename}-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
        apt-get update >&2
    fi
}

# Runs apt-get or apt-cache against a private state for one set of suites, so that the host's
# sources stay as they are. Usage: private_apt NAME "TYPES SUITE..." apt-get|apt-cache ARGS...
# Private apt is used only to download (source packages, kernel .debs), never to install.
private_apt() {
    local name="$1" spec="$2" tool="$3"; shift 3
    local dir="$GVNIC_CACHE/apt/$name" types suite
    mkdir -p "$dir/lists/partial" "$dir/archives/partial"
    types="${spec%% *}"
    if [ ! -e "$dir/sources.list" ]; then
        : > "$dir/sources.list.tmp"
        for suite in ${spec#* }; do
            local uri="$DEBIAN_MIRROR"
            case "$suite" in *-security) uri="$DEBIAN_SECURITY_MIRROR" ;; esac
            for t in ${types//,/ }; do
                echo "$t [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $suite main" >> "$dir/sources.list.tmp"
            done
        done
        mv "$dir/sources.list.tmp" "$dir/sources.list"
    fi
    local opts=(-o "Dir::Etc::SourceList=$dir/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
                -o "Dir::State::Lists=$dir/lists" -o "Dir::Cache=$dir" -o "Dir::Cache::archives=$dir/archives"
                -o "Dir::State::status=/dev/null" -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root")
    if [ "$tool" = update ]; then
        # Lists older than a day are refreshed; fresher ones are reused.
        if [ -z "$(find "$dir/lists" -maxdepth 1 -name '*_InRelease' -mmin -1440 2>/dev/null)" ]; then
            apt-get "${opts[@]}" update >&2
        fi
        return 0
    fi
    "$tool" "${opts[@]}" "$@"
}
