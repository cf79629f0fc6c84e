#!/bin/sh
# Paver's class data sharing (CDS) archive: the jar extracted as Spring Boot's reference says ("Packaging Spring Boot
# Applications", "Class Data Sharing"), a training run, and an archive of every class the training loaded. Later
# starts map those classes from the archive instead of reading, verifying and parsing them from the jars.
#
#   deploy/cds-archive.sh <paver.jar> <destination folder>
#
# writes <destination>/paver.jar (the application; its manifest names lib/), <destination>/lib/ and
# <destination>/paver.jsa (on Java 17 to 24) or <destination>/paver.aot (Java 25 and later: the ahead-of-time
# cache). Run Paver with
#
#   java -XX:SharedArchiveFile=<destination>/paver.jsa -Dspring.aot.enabled=true -jar <destination>/paver.jar
#   java -XX:AOTCache=<destination>/paver.aot -Dspring.aot.enabled=true -jar <destination>/paver.jar   (Java 25+)
#
# (with MANAGEMENT_SERVER_PORT set: the jar's context processed ahead of time serves health and probes on a port of
# their own; without -Dspring.aot.enabled=true Paver starts as java -jar does, on the same archive)
#
# The destination must be new or empty, and absolute: the archive records the class path and serves only the same
# jars at the same place, on the same JVM build (the java of JAVA_HOME, else of PATH), so build it with the JVM that
# runs Paver. A JVM that cannot use it says so ([warning][cds] or [warning][aot] ... on standard output) and starts
# without it.
# deploy/Dockerfile runs this script; so does the start-up benchmark (StartupBenchmark, docs/performance.md
# "Start-up"), which measures what the archive gives.
#
# How, and why not the two lines of Spring Boot's reference (-XX:ArchiveClassesAtExit, a dynamic archive): on Java 17
# the JVM crashes while it writes a dynamic archive of Paver (SIGSEGV in
# SystemDictionaryShared::adjust_lambda_proxy_class_dictionary, JDK-8274944's kind), on the lambdas of JGit, whose
# jar is signed and whose classes CDS therefore never archives. So the training lists the classes it loads
# (-XX:DumpLoadedClassList), the list loses the lambda lines of JGit's classes (which could not be archived anyway),
# and -Xshare:dump writes a static archive from it (JEP 310, application class data sharing).
#
# The training run (java -jar paver.jar cds-training) starts Paver in a new empty folder on its embedded defaults
# (H2, local repositories), with no cluster and a Slack stand-in on loopback inside the same process, up to ready
# (its own warm-up request included), then stops. Only this environment reaches it (env -i) and the folder is
# deleted afterwards.
set -eu

if [ "$#" -ne 2 ]; then
    echo "usage: $0 <paver.jar> <destination folder>" >&2
    exit 2
fi
jar=$1
destination=$2
java=java
if [ -n "${JAVA_HOME:-}" ]; then
    java="$JAVA_HOME/bin/java"
fi

"$java" -Djarmode=tools -jar "$jar" extract --destination "$destination" --application-filename paver.jar

# The image runs the context processed ahead of time (-Dspring.aot.enabled=true): the training does too when the jar
# carries it (its generated initializer; a zip names its entries in plain text), so that the archive holds the
# classes those starts load.
aot=
if grep -q -a 'dev/paver/PaverApplication__ApplicationContextInitializer.class' "$destination/paver.jar"; then
    aot=-Dspring.aot.enabled=true
fi

training=$(mktemp -d)
trap 'rm -rf "$training"' EXIT
mkdir "$training/run"

# The training run, with the JVM options given: in its own empty folder, with nothing of the environment but PATH and
# JAVA_TOOL_OPTIONS.
train() {
    (
        cd "$training/run"
        env -i PATH="$PATH" JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS:-}" \
            "$java" "$@" -Djava.io.tmpdir="$training" $aot -jar "$destination/paver.jar" cds-training
    ) > "$training/training.log" 2>&1 || {
        cat "$training/training.log" >&2
        echo "the training run failed: no archive, no cache" >&2
        exit 1
    }
}

# Java 25 and later: the ahead-of-time cache (JEP 483, 514, 515: classes loaded and linked, and method profiles,
# from the training run), what Spring Boot's reference recommends from Java 24 on; written as paver.aot, used with
# -XX:AOTCache. Java 17 to 24: the static archive below, paver.jsa.
feature=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
case "$feature" in
    [0-9]*) ;;
    *) echo "cannot read the version of $java (java.specification.version): no archive, no cache" >&2; exit 1;;
esac
if [ "${feature%%.*}" -ge 25 ] 2>/dev/null; then
    train -XX:AOTCacheOutput="$destination/paver.aot"
    if [ ! -s "$destination/paver.aot" ]; then
        tail -n 40 "$training/training.log" >&2
        echo "the JVM wrote no cache" >&2
        exit 1
    fi
    echo "ahead-of-time cache (Java $feature): $destination/paver.aot"
    exit 0
fi

train -XX:DumpLoadedClassList="$training/paver.classlist"
grep -v '^@lambda-proxy org/eclipse/jgit/' "$training/paver.classlist" > "$training/archived.classlist"
"$java" -Xshare:dump -XX:SharedClassListFile="$training/archived.classlist" \
    -XX:SharedArchiveFile="$destination/paver.jsa" -jar "$destination/paver.jar" > "$training/dump.log" 2>&1 || {
    tail -n 40 "$training/dump.log" >&2
    echo "writing the archive failed" >&2
    exit 1
}
echo "class data sharing archive: $destination/paver.jsa ($(grep -vc '^@' "$training/archived.classlist") classes listed)"
