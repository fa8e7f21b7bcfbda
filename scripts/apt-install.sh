# Sourced by the launchers: proxyless_apt_install PACKAGE... installs Debian packages, waiting for
# another package manager's lock (a fresh machine runs its first updates for minutes) up to
# PROXYLESS_APT_WAIT seconds (default 300), then says what to do.
proxyless_apt_install() {
  local wait="${PROXYLESS_APT_WAIT:-300}" sudo="" waited=0 err
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  err="$(mktemp)"
  while true; do
    if $sudo apt-get install -y -qq "$@" 2>"$err" >&2 \
        || { $sudo apt-get update -qq 2>"$err" >&2 && $sudo apt-get install -y -qq "$@" 2>"$err" >&2; }; then
      rm -f "$err"
      return 0
    fi
    if ! grep -qiE "could not get lock|unable to acquire the dpkg frontend lock|unable to lock" "$err"; then
      cat "$err" >&2
      rm -f "$err"
      return 1
    fi
    if (( waited >= wait )); then
      rm -f "$err"
      echo "proxyless: error: another package manager has held the dpkg lock for ${waited}s (a new machine still" \
        "installing its updates?). Wait for it to finish (ps -C apt-get,apt,dpkg,unattended-upgr shows it), then run" \
        "this again; or install ${*} yourself; PROXYLESS_APT_WAIT sets how long to wait." >&2
      return 1
    fi
    (( waited == 0 )) && echo "proxyless: another package manager holds the dpkg lock; waiting up to ${wait}s..." >&2
    sleep 2
    waited=$((waited + 2))
  done
}
