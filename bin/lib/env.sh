# shellcheck shell=bash
# shellcheck disable=SC2034 # BERTH_*_DESC are read by the scripts that source this
# Berth launcher environment, sourced by bin/berth and bin/test (.ci/run runs
# bin/test).
#
#   berth_java      pick a JDK >= 21, export JAVA_HOME and PATH
#   berth_build     build the server distribution if it is missing or stale
#   berth_awscli    make sure the AWS CLI v2 is at /usr/bin/aws
#   berth_skopeo    make sure skopeo is there (the registry tests drive it)
#   berth_docker    make a Docker Engine reachable, export DOCKER_HOST
#   berth_postgres  make sure PostgreSQL's binaries are there, export BERTH_POSTGRES_BIN
#
# Each function is idempotent and cheap when there is nothing to do. Progress
# and errors go to stderr, prefixed "berth:". What a function installed or
# started is appended to BERTH_ACTIONS; what it found is in BERTH_JAVA_DESC,
# BERTH_AWS_DESC, BERTH_DOCKER_DESC and BERTH_POSTGRES_DESC (bin/test prints
# them).
#
# Environment knobs:
#   JAVA_HOME            used when it is a JDK >= 21
#   BERTH_JAVA_OPTS      extra JVM options for bin/berth (split on whitespace)
#   BERTH_AWS_CLI        an AWS CLI v2 to use instead of /usr/bin/aws
#   DOCKER_HOST          an engine to use; when it does not answer, Berth's own
#   BERTH_DOCKER_ROOT    state of Berth's own dockerd (default
#                        ${XDG_STATE_HOME:-$HOME/.local/state}/berth/docker):
#                        data/ (its --data-root), exec/ (its --exec-root),
#                        docker.sock, dockerd.pid, dockerd.log, dockerd.flags
#   BERTH_DOCKER_PROBE=0 skip the container probe after starting a dockerd
#   BERTH_POSTGRES_BIN   PostgreSQL server binaries to use (initdb, pg_ctl)

BERTH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export BERTH_ROOT
BERTH_ACTIONS=()
BERTH_JAVA_DESC=""
BERTH_AWS_DESC=""
BERTH_DOCKER_DESC=""
BERTH_POSTGRES_DESC=""

berth_say() { printf 'berth: %s\n' "$*" >&2; }
berth_warn() { printf 'berth: warning: %s\n' "$*" >&2; }
berth_die() {
  printf 'berth: error: %s\n' "$*" >&2
  exit 1
}
# berth_did MESSAGE: say it and remember it for the summary.
berth_did() {
  BERTH_ACTIONS+=("$*")
  berth_say "$*"
}

# ---------------------------------------------------------------- apt-get --

berth_can_apt() { [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; }

_berth_apt_update_once() {
  [[ -n ${_BERTH_APT_UPDATED:-} ]] && return 0
  berth_say "apt-get update…"
  if ! apt-get update -qq >&2; then
    berth_warn "apt-get update failed"
    return 1
  fi
  _BERTH_APT_UPDATED=1
}

# berth_apt_has PACKAGE: true when apt knows an installable version of it.
berth_apt_has() {
  local candidate
  candidate=$(apt-cache policy "$1" 2>/dev/null | awk '$1 == "Candidate:" { print $2 }')
  [[ -n $candidate && $candidate != "(none)" ]]
}

# berth_apt_install PACKAGE...: apt-get update (once), then install quietly;
# the full apt output is shown only when it fails.
berth_apt_install() {
  _berth_apt_update_once || return 1
  berth_say "installing $* with apt-get (this can take a minute)…"
  local log rc=0
  log=$(mktemp "${TMPDIR:-/tmp}/berth-apt.XXXXXX")
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" </dev/null >"$log" 2>&1 || rc=$?
  if ((rc != 0)); then
    tail -n 30 "$log" >&2
    rm -f "$log"
    berth_warn "apt-get install $* failed (exit $rc)"
    return 1
  fi
  rm -f "$log"
  berth_did "installed $* (apt-get)"
}

# ------------------------------------------------------------------- Java --

# _berth_jdk_major DIR: print the feature version of the JDK in DIR; fail when
# DIR holds no JDK (java and javac both needed: Maven compiles with it).
_berth_jdk_major() {
  local home=$1 v=""
  [[ -x $home/bin/java && -x $home/bin/javac ]] || return 1
  if [[ -r $home/release ]]; then
    v=$(sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p' "$home/release")
  fi
  if [[ -z $v ]]; then
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
  fi
  [[ $v == 1.* ]] && v=${v#1.}
  v=${v%%[!0-9]*}
  [[ -n $v ]] || return 1
  printf '%s\n' "$v"
}

# _berth_jdk_find: print the home of the JDK to use, in the order of choice.
_berth_jdk_find() {
  local m dir best="" best_m=0
  if [[ -n ${JAVA_HOME:-} ]] && m=$(_berth_jdk_major "$JAVA_HOME") && ((m >= 21)); then
    printf '%s\n' "$JAVA_HOME"
    return 0
  fi
  if m=$(_berth_jdk_major /usr/lib/jvm/temurin-25-jdk-amd64) && ((m >= 21)); then
    printf '%s\n' /usr/lib/jvm/temurin-25-jdk-amd64
    return 0
  fi
  for dir in /usr/lib/jvm/*/; do
    dir=${dir%/}
    m=$(_berth_jdk_major "$dir") || continue
    if ((m >= 21 && m > best_m)); then
      best=$dir
      best_m=$m
    fi
  done
  [[ -n $best ]] || return 1
  printf '%s\n' "$best"
}

berth_java() {
  [[ -n ${_BERTH_JAVA_DONE:-} ]] && return 0
  local home
  if ! home=$(_berth_jdk_find); then
    if berth_can_apt; then
      berth_apt_has openjdk-21-jdk-headless || _berth_apt_update_once || true
      if berth_apt_has openjdk-21-jdk-headless; then
        berth_say "no JDK 21 or newer found; installing openjdk-21-jdk-headless"
        berth_apt_install openjdk-21-jdk-headless || berth_die "could not install openjdk-21-jdk-headless"
        home=$(_berth_jdk_find) || berth_die "openjdk-21-jdk-headless installed, but no JDK >= 21 under /usr/lib/jvm"
      fi
    fi
  fi
  [[ -n ${home:-} ]] || berth_die "Berth needs a JDK 21 or newer, and none was found (JAVA_HOME=${JAVA_HOME:-unset}, /usr/lib/jvm/*).
  Install one (e.g. Eclipse Temurin 21+: https://adoptium.net/installation/linux/, or 'apt-get install openjdk-21-jdk-headless' where your distribution has it) and set JAVA_HOME to it."
  export JAVA_HOME=$home
  case ":$PATH:" in
    *":$home/bin:"*) ;;
    *) export PATH="$home/bin:$PATH" ;;
  esac
  BERTH_JAVA_DESC="$home (Java $(_berth_jdk_major "$home"))"
  _BERTH_JAVA_DONE=1
}

# ------------------------------------------------------------------ build --

# berth_maven_env: quiet Maven's JVM: no sun.misc.Unsafe warnings on JDK 24+
# (Maven's own Guava), no ANSI resets around the output in batch mode.
berth_maven_env() {
  berth_java
  [[ -n ${_BERTH_MAVEN_ENV_DONE:-} ]] && return 0
  local opts=${MAVEN_OPTS:-} major
  major=$(_berth_jdk_major "$JAVA_HOME") || major=0
  if ((major >= 24)) && [[ $opts != *sun-misc-unsafe-memory-access* ]]; then
    opts+=" --sun-misc-unsafe-memory-access=allow"
  fi
  [[ $opts == *jansi.noreset* ]] || opts+=" -Djansi.noreset=true"
  export MAVEN_OPTS=${opts# }
  _BERTH_MAVEN_ENV_DONE=1
}

BERTH_JAR="$BERTH_ROOT/berth-server/target/berth.jar"
BERTH_LIB="$BERTH_ROOT/berth-server/target/lib"

# _berth_build_needed: true when the distribution is missing, or a pom.xml or
# anything under */src/main is newer than berth.jar (the stamp).
_berth_build_needed() {
  [[ -f $BERTH_JAR && -d $BERTH_LIB ]] || return 0
  local newer
  newer=$(find "$BERTH_ROOT" \
    \( -name .git -o -path "$BERTH_ROOT/.berth" -o -path "$BERTH_ROOT/data" \
    -o \( -name target ! -path '*/src/*' \) \) -prune \
    -o \( -path '*/src/main' -o -path '*/src/main/*' -o -name pom.xml \) \
    -newer "$BERTH_JAR" -print -quit 2>/dev/null)
  [[ -n $newer ]]
}

_berth_m2_has_things() {
  local repo="$HOME/.m2/repository"
  [[ -d $repo ]] && [[ -n $(ls -A "$repo" 2>/dev/null) ]]
}

berth_build() {
  berth_java
  _berth_build_needed || return 0
  berth_maven
  # One build at a time; whoever waited finds it done.
  mkdir -p "$BERTH_ROOT/.berth"
  exec 8>"$BERTH_ROOT/.berth/build.lock"
  if command -v flock >/dev/null 2>&1; then
    flock 8
  fi
  if _berth_build_needed; then
    berth_say "building (first run takes a minute)…"
    local -a mvn=(mvn -q -B -ntp -Dmaven.test.skip=true install -pl berth-server -am)
    local ok="" log=""
    if _berth_m2_has_things; then
      log=$(mktemp "${TMPDIR:-/tmp}/berth-build.XXXXXX")
      if (cd "$BERTH_ROOT" && "${mvn[@]}" -o) >"$log" 2>&1; then
        ok=1
      fi
    fi
    if [[ -z $ok ]] && ! (cd "$BERTH_ROOT" && "${mvn[@]}") >&2; then
      if [[ -s $log ]]; then
        berth_say "the offline attempt (mvn -o) said:"
        tail -n 20 "$log" >&2
      fi
      rm -f "$log"
      berth_die "the build failed (see above). To see it in full: cd $BERTH_ROOT && mvn -B install -Dmaven.test.skip=true -pl berth-server -am"
    fi
    rm -f "$log"
    [[ -f $BERTH_JAR && -d $BERTH_LIB ]] ||
      berth_die "the build succeeded but did not produce berth-server/target/berth.jar and berth-server/target/lib/"
    # The jar plugin leaves an unchanged jar alone; the stamp must move on.
    touch "$BERTH_JAR"
  fi
  exec 8>&-
}

# berth_maven: make sure mvn is there, and set its environment.
berth_maven() {
  if ! command -v mvn >/dev/null 2>&1; then
    if berth_can_apt; then
      berth_apt_install maven || berth_die "could not install Maven"
    else
      berth_die "Maven is needed to build Berth: install Maven 3.8+ (https://maven.apache.org/install.html, or 'sudo apt-get install maven')"
    fi
  fi
  berth_maven_env
}

# berth_exec ARGS...: run the server distribution (does not return).
# The JVM options Berth runs with before BERTH_JAVA_OPTS (which can override them): G1 aiming at
# 10 ms pauses; its default 200 ms goal let young collections of ~35 ms every few seconds set the
# API's p99 (docs/benchmarks.md, RegisterTaskDefinition at 2,000/s).
BERTH_JVM_DEFAULTS=(-XX:MaxGCPauseMillis=10)

berth_exec() {
  local -a opts=("${BERTH_JVM_DEFAULTS[@]}")
  if [[ -n ${BERTH_JAVA_OPTS:-} ]]; then
    local -a extra=()
    read -r -a extra <<<"$BERTH_JAVA_OPTS"
    opts+=("${extra[@]}")
  fi
  exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED "${opts[@]}" -cp "$BERTH_JAR:$BERTH_LIB/*" io.berth.server.Main "$@"
}

# ---------------------------------------------------------------- AWS CLI --

berth_awscli() {
  [[ -n ${_BERTH_AWS_DONE:-} ]] && return 0
  local aws=${BERTH_AWS_CLI:-/usr/bin/aws}
  if [[ ! -x $aws ]]; then
    if [[ $aws == /usr/bin/aws ]] && berth_can_apt && berth_apt_install awscli && [[ -x $aws ]]; then
      :
    else
      berth_warn "the AWS CLI v2 is needed at $aws (the end-to-end tests drive it)."
      cat >&2 <<'EOF'
  Debian 12+/Ubuntu 24.04+:  sudo apt-get update && sudo apt-get install awscli
  elsewhere: the official installer,
    https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html
    then point BERTH_AWS_CLI at it (e.g. BERTH_AWS_CLI=/usr/local/bin/aws).
EOF
      return 1
    fi
  fi
  export BERTH_AWS_CLI=$aws
  BERTH_AWS_DESC=$aws
  _BERTH_AWS_DONE=1
}

# berth_skopeo: the registry's end-to-end tests copy images with skopeo (Debian's
# package); installs it as root where missing, else says what to do.
berth_skopeo() {
  [[ -n ${_BERTH_SKOPEO_DONE:-} ]] && return 0
  if ! command -v skopeo >/dev/null 2>&1; then
    if ! { berth_can_apt && berth_apt_install skopeo && command -v skopeo >/dev/null 2>&1; }; then
      berth_warn "skopeo is needed by the registry tests: sudo apt-get install skopeo"
      return 1
    fi
  fi
  BERTH_SKOPEO_DESC="$(command -v skopeo) ($(skopeo --version 2>/dev/null | awk '{print $3}'))"
  _BERTH_SKOPEO_DONE=1
}

# ----------------------------------------------------------------- Docker --

# _berth_docker_ping: does the engine the environment points at answer?
_berth_docker_ping() {
  timeout 15 docker version --format '{{.Server.Version}}' >/dev/null 2>&1
}

_berth_docker_paths() {
  _BD_ROOT=${BERTH_DOCKER_ROOT:-${XDG_STATE_HOME:-$HOME/.local/state}/berth/docker}
  # Unix socket paths are limited to 108 bytes; containerd puts its sockets
  # under the exec root. Use a short runtime directory for a long root.
  local run=$_BD_ROOT
  if ((${#run} > 60)); then
    run="/run/berth-docker-$(printf '%s' "$_BD_ROOT" | cksum | cut -d ' ' -f 1)"
  fi
  _BD_SOCK="$run/docker.sock"
  _BD_EXEC="$run/exec"
  _BD_PIDFILE="$_BD_ROOT/dockerd.pid"
  _BD_LOG="$_BD_ROOT/dockerd.log"
  _BD_FLAGS="$_BD_ROOT/dockerd.flags"
  _BD_HOST="unix://$_BD_SOCK"
}

_berth_own_ping() { DOCKER_HOST=$_BD_HOST _berth_docker_ping; }

# _berth_alive PID: the process exists and is not a zombie.
_berth_alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ -n $stat && ${stat:0:1} != Z ]]
}

# _berth_pid_of PIDFILE NAME: print the pid in PIDFILE when that process is
# alive and its command line is NAME with our data root or exec root (pids
# get reused, and a zombie is no daemon).
_berth_pid_of() {
  local pid cmdline
  [[ -r $1 ]] || return 1
  pid=$(<"$1")
  [[ $pid =~ ^[0-9]+$ ]] && _berth_alive "$pid" || return 1
  cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ $cmdline == "$2 "* || $cmdline == */"$2 "* ]] || return 1
  [[ $cmdline == *" $_BD_ROOT/"* || $cmdline == *" $_BD_EXEC/"* ]] || return 1
  printf '%s\n' "$pid"
}

# _berth_own_pid: print the pid of Berth's dockerd when it is alive.
_berth_own_pid() { _berth_pid_of "$_BD_PIDFILE" dockerd; }

# _berth_own_wait PID SECONDS: wait for the socket to answer while PID lives.
_berth_own_wait() {
  local pid=$1 deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    _berth_own_ping && return 0
    _berth_alive "$pid" || return 1
    sleep 0.5
  done
  _berth_own_ping
}

# _berth_own_stop PID: stop a dockerd that Berth started.
_berth_own_stop() {
  local pid=$1 i
  kill "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 60; i++)); do
    _berth_alive "$pid" || return 0
    sleep 0.5
  done
  kill -9 "$pid" 2>/dev/null || true
}

# _berth_own_start EXTRA_FLAGS...: start Berth's dockerd, wait up to 60 s.
# On failure _BD_NET_FAILURE says whether its log blames the networking.
_berth_own_start() {
  mkdir -p "$_BD_ROOT/data" "$_BD_EXEC"
  local -a dockerd_cmd=(dockerd
    --data-root "$_BD_ROOT/data"
    --exec-root "$_BD_EXEC"
    --pidfile "$_BD_PIDFILE"
    --host "$_BD_HOST"
    --containerd-namespace berth
    --containerd-plugins-namespace berth-plugins
    "$@")
  # A containerd left behind by a dockerd that died: dockerd would wait for
  # it when its pid file names a dead process (or a zombie, or another one).
  local cpid="$_BD_EXEC/containerd/containerd.pid"
  if [[ -e $cpid ]] && ! _berth_pid_of "$cpid" containerd >/dev/null; then
    rm -f "$cpid"
  fi
  local offset
  offset=$(stat -c %s "$_BD_LOG" 2>/dev/null || echo 0)
  printf '\n=== %s berth: starting %s\n' "$(date -u +%FT%TZ)" "${dockerd_cmd[*]}" >>"$_BD_LOG"
  rm -f "$_BD_SOCK"
  # Its own session: a Ctrl-C in this terminal must not stop it. fds 8 and 9
  # are the build and docker locks; it must not hold them.
  setsid -w "${dockerd_cmd[@]}" </dev/null >>"$_BD_LOG" 2>&1 8>&- 9>&- &
  local launcher=$!
  _BD_NET_FAILURE=""
  if _berth_own_wait "$launcher" 60; then
    _BD_STARTED_PID=$(_berth_own_pid || echo "$launcher")
    _BD_STARTED_CMD="${dockerd_cmd[*]}"
    return 0
  fi
  local pid
  if pid=$(_berth_own_pid); then _berth_own_stop "$pid"; fi
  kill "$launcher" 2>/dev/null || true
  local errors
  errors=$(tail -c "+$((offset + 1))" "$_BD_LOG" | grep -v -E 'level=(info|debug|warning)|^=== |^$' | tail -n 8)
  if grep -q -i -E 'iptables|ip6tables|network controller|bridge|masquerade|\bnat\b' <<<"$errors"; then
    _BD_NET_FAILURE=1
  fi
  berth_warn "dockerd did not come up (extra flags: ${*:-none}); from $_BD_LOG:"
  local -a lines
  mapfile -t lines <<<"${errors:-(no errors logged)}"
  printf '  | %s\n' "${lines[@]}" >&2
  return 1
}

# _berth_docker_probe: can this engine create and run a container with a
# published port? Uses a throwaway image imported from busybox-static.
_berth_docker_probe() {
  [[ ${BERTH_DOCKER_PROBE:-1} == 0 ]] && return 0
  local bb=/bin/busybox
  if ! dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed'; then
    if ! berth_can_apt || ! berth_apt_install busybox-static; then
      berth_warn "busybox-static is not installed; skipping the container probe"
      return 0
    fi
  fi
  local ctx tag name out rc=0
  ctx=$(mktemp -d "${TMPDIR:-/tmp}/berth-probe.XXXXXX")
  tag="berth-probe:$$-$RANDOM"
  name="berth-probe-$$-$RANDOM"
  mkdir -p "$ctx/bin" && cp "$bb" "$ctx/bin/busybox"
  if (cd "$ctx" && tar -c .) | DOCKER_HOST=$_BD_HOST docker import - "$tag" >/dev/null 2>&1; then
    out=$(DOCKER_HOST=$_BD_HOST timeout 60 docker run --rm --name "$name" -p 127.0.0.1::8080 "$tag" /bin/busybox echo hi 2>&1) || rc=$?
    DOCKER_HOST=$_BD_HOST docker rm -f "$name" >/dev/null 2>&1 || true
    DOCKER_HOST=$_BD_HOST docker rmi "$tag" >/dev/null 2>&1 || true
  else
    out="docker import failed"
    rc=1
  fi
  rm -rf "$ctx"
  if ((rc != 0)) || [[ $out != hi ]]; then
    berth_warn "container probe failed: $out"
    return 1
  fi
}

_berth_docker_install_hint() {
  cat >&2 <<'EOF'
  Berth runs tasks on a Docker Engine. Any one of:
    - start your Docker Engine (sudo systemctl start docker) and make its socket
      usable by you (sudo usermod -aG docker "$USER", then log in again);
    - point DOCKER_HOST at a reachable engine (unix:// or tcp://);
    - as root, let Berth start its own: install Docker Engine
      (Debian/Ubuntu: apt-get install docker.io; elsewhere
      https://docs.docker.com/engine/install/) and run this again;
    - or skip it: BERTH_SKIP_DOCKER=1.
EOF
}

berth_docker() {
  [[ -n ${_BERTH_DOCKER_DONE:-} ]] && return 0
  _berth_docker_paths

  if ! command -v docker >/dev/null 2>&1; then
    if ! berth_can_apt || ! berth_apt_install docker.io; then
      berth_warn "the docker command is not installed"
      _berth_docker_install_hint
      return 1
    fi
  fi

  # 1. The engine the environment points at (DOCKER_HOST or the default socket).
  if _berth_docker_ping; then
    BERTH_DOCKER_DESC="${DOCKER_HOST:-default socket (docker context)}"
    [[ ${DOCKER_HOST:-} == "$_BD_HOST" ]] && BERTH_DOCKER_DESC="$_BD_HOST (Berth's dockerd)"
    _BERTH_DOCKER_DONE=1
    return 0
  fi
  if [[ -n ${DOCKER_HOST:-} && $DOCKER_HOST != "$_BD_HOST" ]]; then
    if (unset DOCKER_HOST && _berth_docker_ping); then
      berth_warn "DOCKER_HOST=$DOCKER_HOST does not answer; using the default socket"
      unset DOCKER_HOST
      BERTH_DOCKER_DESC="default socket (DOCKER_HOST did not answer)"
      _BERTH_DOCKER_DONE=1
      return 0
    fi
    berth_warn "DOCKER_HOST=$DOCKER_HOST does not answer; trying Berth's own dockerd"
  fi

  # 2. Berth's own dockerd, started before.
  if _berth_own_ping; then
    export DOCKER_HOST=$_BD_HOST
    BERTH_DOCKER_DESC="$_BD_HOST (Berth's dockerd, pid $(_berth_own_pid || echo '?'), already running)"
    _BERTH_DOCKER_DONE=1
    return 0
  fi

  # 3. Start one.
  if [[ $(id -u) -ne 0 ]]; then
    berth_warn "no Docker Engine answers, and starting one needs root"
    _berth_docker_install_hint
    return 1
  fi
  if ! command -v dockerd >/dev/null 2>&1; then
    if ! berth_can_apt || ! berth_apt_install docker.io || ! command -v dockerd >/dev/null 2>&1; then
      berth_warn "no Docker Engine answers, and dockerd is not installed"
      _berth_docker_install_hint
      return 1
    fi
  fi

  mkdir -p "$_BD_ROOT" || return 1
  exec 9>"$_BD_ROOT/lock"
  if command -v flock >/dev/null 2>&1 && ! flock -w 180 9; then
    exec 9>&-
    berth_warn "another process holds $_BD_ROOT/lock (starting dockerd?)"
    return 1
  fi
  local rc=0
  _berth_own_start_locked || rc=$?
  exec 9>&-
  ((rc == 0)) || return 1
  export DOCKER_HOST=$_BD_HOST
  _BERTH_DOCKER_DONE=1
}

_berth_own_start_locked() {
  local pid
  # Someone else may have started it while we waited for the lock, or it may
  # still be starting up.
  if pid=$(_berth_own_pid); then
    if _berth_own_wait "$pid" 60; then
      BERTH_DOCKER_DESC="$_BD_HOST (Berth's dockerd, pid $pid, already running)"
      return 0
    fi
    berth_warn "Berth's dockerd (pid $pid) does not answer on $_BD_SOCK; restarting it"
    _berth_own_stop "$pid"
  fi
  rm -f "$_BD_PIDFILE"

  # Flags that worked last time first; then the default networking; then
  # without iptables (no NAT rules: containers still get a bridge, and ports
  # published on the host go through docker-proxy).
  local -a tries=()
  if [[ -s $_BD_FLAGS ]]; then
    tries+=("$(<"$_BD_FLAGS")")
  fi
  tries+=("" "--iptables=false --ip6tables=false")
  local flags seen="|" started="" net_failure=""
  local -a extra
  for flags in "${tries[@]}"; do
    [[ $seen == *"|$flags|"* ]] && continue
    seen+="$flags|"
    read -r -a extra <<<"$flags"
    berth_say "starting dockerd${flags:+ ($flags)}, data in $_BD_ROOT…"
    if ! _berth_own_start "${extra[@]}"; then
      net_failure+=${_BD_NET_FAILURE}
      continue
    fi
    if _berth_docker_probe; then
      started=1
      break
    fi
    berth_warn "dockerd${flags:+ ($flags)} runs, but cannot run a container; stopping it"
    net_failure+=1
    _berth_own_stop "$_BD_STARTED_PID"
  done
  if [[ -z $started ]]; then
    berth_warn "could not start a working dockerd; its log: $_BD_LOG"
    _berth_docker_install_hint
    return 1
  fi
  # Remember flags beyond the defaults only when the defaults failed on the
  # networking; any other failure may have been a passing one.
  if [[ -z $flags || -n $net_failure ]]; then
    printf '%s\n' "$flags" >"$_BD_FLAGS"
  fi
  berth_did "started dockerd (pid $_BD_STARTED_PID): $_BD_STARTED_CMD"
  BERTH_DOCKER_DESC="$_BD_HOST (Berth's dockerd, pid $_BD_STARTED_PID, started now${flags:+ with $flags})"
}

# ------------------------------------------------------------- PostgreSQL --

# _berth_pg_bin: print the directory of the newest PostgreSQL server binaries
# (initdb, pg_ctl), BERTH_POSTGRES_BIN first, then Debian's layout.
_berth_pg_bin() {
  if [[ -n ${BERTH_POSTGRES_BIN:-} ]]; then
    [[ -x $BERTH_POSTGRES_BIN/initdb ]] && printf '%s\n' "$BERTH_POSTGRES_BIN"
    return
  fi
  local dir
  dir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin 2>/dev/null | sort -V | tail -n 1)
  [[ -n $dir && -x $dir/initdb ]] && printf '%s\n' "$dir"
}

# berth_postgres: make sure PostgreSQL's server binaries are installed (the
# PostgreSQL store's tests start a private cluster from them; nothing runs
# here). Installs Debian's postgresql as root when missing. Exports
# BERTH_POSTGRES_BIN; fails when there is none.
berth_postgres() {
  [[ -n ${_BERTH_POSTGRES_DONE:-} ]] && return 0
  local bin
  if ! bin=$(_berth_pg_bin) || [[ -z $bin ]]; then
    if berth_can_apt && berth_apt_install postgresql; then
      bin=$(_berth_pg_bin) || bin=""
    fi
  fi
  if [[ -z ${bin:-} ]]; then
    berth_warn "PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin or \$BERTH_POSTGRES_BIN)"
    return 1
  fi
  if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
    berth_warn "running as root, the test cluster needs the 'postgres' user (Debian's postgresql package makes it)"
    return 1
  fi
  export BERTH_POSTGRES_BIN=$bin
  BERTH_POSTGRES_DESC="$bin ($("$bin/postgres" --version 2>/dev/null || echo '?'))"
  _BERTH_POSTGRES_DONE=1
}
