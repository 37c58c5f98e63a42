# Sourced by ./vireo, ./verify and .ci/run: exports JAVA_HOME as a JDK >= 21 (JAVA_HOME itself if it qualifies,
# else the newest under /usr/lib/jvm, else the java on PATH).
java_major() { # prints the major version of the java binary $1, or 0
  local v
  v="$("$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')"
  echo "${v%%.*}" | grep -E '^[0-9]+$' || echo 0
}

find_java_home() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(java_major "$JAVA_HOME/bin/java")" -ge 21 ]; then
    echo "$JAVA_HOME"; return 0
  fi
  local candidate best="" best_major=0 major
  for candidate in /usr/lib/jvm/*/; do
    candidate="${candidate%/}"
    [ -x "$candidate/bin/javac" ] || continue
    major="$(java_major "$candidate/bin/java")"
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best="$candidate"; best_major="$major"; fi
  done
  if [ -z "$best" ] && command -v javac >/dev/null && [ "$(java_major "$(command -v java)")" -ge 21 ]; then
    best="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
  fi
  [ -n "$best" ] || { echo "vireo: no JDK >= 21 found; install one or set JAVA_HOME" >&2; return 1; }
  echo "$best"
}

JAVA_HOME="$(find_java_home)" || exit 1
export JAVA_HOME
