# shellcheck shell=bash
# Sourced by scripts/thaw, scripts/demo and scripts/fashion-mnist: what a machine needs for Thaw, and Debian's
# packages installed when this user may.

# Prints, in one line, what this machine lacks to run Thaw (with "build": to build it too) and the package that
# brings it; prints nothing when it lacks nothing.
thaw_tools_missing() {
  local jdk="sudo apt-get install openjdk-17-jdk-headless" version major
  if ! command -v java > /dev/null; then
    echo "java not found; Thaw needs Java 17 or newer: $jdk"
    return
  fi
  version=$(java -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -1)
  major=${version%%[.+-]*}
  [[ $major == 1 ]] && major=$(cut -d. -f2 <<< "$version")
  if [[ ! $major =~ ^[0-9]+$ ]] || (( major < 17 )); then
    echo "$(command -v java) is Java ${version:-of unknown version}; Thaw needs 17 or newer: $jdk (or put a newer java first on PATH)"
    return
  fi
  [[ ${1:-} == build ]] || return 0
  if ! command -v mvn > /dev/null; then
    echo "mvn not found; building Thaw needs Maven: sudo apt-get install maven"
  elif [[ -n ${JAVA_HOME:-} && ! -x $JAVA_HOME/bin/javac ]]; then
    echo "JAVA_HOME ($JAVA_HOME) has no javac; building Thaw needs a JDK 17 or newer: point JAVA_HOME at one, or unset it"
  elif [[ -z ${JAVA_HOME:-} ]] && ! command -v javac > /dev/null; then
    echo "javac not found; building Thaw needs a JDK, not only a Java runtime: $jdk"
  fi
}

# Whether target/thaw.jar under $1 is missing or older than the sources.
thaw_needs_build() {
  [[ ! -f $1/target/thaw.jar || -n "$(find "$1/src/main" "$1/pom.xml" "$1/search-spaces/study.schema.json" -newer "$1/target/thaw.jar" -print -quit 2>/dev/null)" ]]
}

# Whether this user may install Debian packages: root, or sudo without a password.
can_apt_install() {
  command -v apt-get > /dev/null || return 1
  (( EUID == 0 )) || { command -v sudo > /dev/null && sudo -n true 2> /dev/null; }
}

# apt_install PKG...: installs Debian packages, showing the commands it runs (on stderr); refreshes the package
# lists and tries again when the first attempt fails. Fails when can_apt_install does, or apt-get does.
apt_install() {
  can_apt_install || return 1
  local as_root=()
  (( EUID == 0 )) || as_root=(sudo -n)
  echo "+ ${as_root[*]:+${as_root[*]} }apt-get install -y $*" >&2
  if "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@" >&2; then
    return 0
  fi
  echo "+ ${as_root[*]:+${as_root[*]} }apt-get update && apt-get install -y $*" >&2
  "${as_root[@]}" apt-get update -q >&2 && "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@" >&2
}
