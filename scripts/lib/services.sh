# shellcheck shell=bash
# Real services for the test suite, each private to one run: PostgreSQL (initdb + pg_ctl) and
# Dovecot IMAP (own config, TLS and plain listeners), both on 127.0.0.1 in temp dirs.
#
# Sourced by scripts/test:
#   source scripts/lib/services.sh
#   trap stop_services EXIT
#   start_postgres || ...   # exports TRADESCOUT_TEST_PG_URL
#   start_dovecot  || ...   # exports TRADESCOUT_TEST_IMAP_{HOST,TLS_PORT,PLAIN_PORT,USER,PASSWORD,CA}
#
# Each start function returns non-zero with a message on stderr when the service cannot be
# started; the caller decides whether that fails the run. Nothing here calls `exit` or sets shell
# options, so it is safe to source from a script running with `set -euo pipefail`.
# Missing Debian packages are installed with apt-get when running as root.

# An unprivileged account that owns the Dovecot mail store (and runs PostgreSQL when there is no
# `postgres` account). Created on first use.
TS_SERVICES_USER="${TS_SERVICES_USER:-tradescout-test}"
# Bounded wait for a service to answer, in seconds.
TS_SERVICES_WAIT="${TS_SERVICES_WAIT:-30}"
# Where the temp dirs go. Not $TMPDIR: the postgres, dovecot and dovenull accounts must be able
# to traverse the parent, which a private TMPDIR under /root would not allow.
TS_SERVICES_TMP="${TS_SERVICES_TMP:-/tmp}"

_ts_apt_updated=""
_ts_pg_dir=""
_ts_pg_ctl=""
_ts_pg_runas=""
_ts_dovecot_dir=""

_ts_log() { printf 'services: %s\n' "$*" >&2; }

# Seconds since the epoch with milliseconds, for start-up timings.
_ts_now() { date +%s.%N; }
_ts_elapsed() { awk -v a="$1" -v b="$(_ts_now)" 'BEGIN { printf "%.1f", b - a }'; }

# Installs the given Debian packages unless they are already installed.
# apt-get update runs at most once per sourcing.
_ts_ensure_packages() {
    local missing=() pkg
    for pkg in "$@"; do
        if ! dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null | grep -qx installed; then
            missing+=("$pkg")
        fi
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        _ts_log "missing packages ${missing[*]} and not root: install them with apt-get"
        return 1
    fi
    if [ -z "$_ts_apt_updated" ]; then
        _ts_log "apt-get update"
        if ! DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2; then
            _ts_log "apt-get update failed"
            return 1
        fi
        _ts_apt_updated=1
    fi
    _ts_log "installing ${missing[*]}"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >&2; then
        _ts_log "apt-get install ${missing[*]} failed"
        return 1
    fi
}

# Creates the unprivileged service account if it does not exist yet.
_ts_ensure_user() {
    id -u "$TS_SERVICES_USER" >/dev/null 2>&1 && return 0
    if ! useradd --system --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin "$TS_SERVICES_USER"; then
        _ts_log "cannot create the account $TS_SERVICES_USER"
        return 1
    fi
}

# Prints a TCP port on 127.0.0.1 that nothing listens on. Ports are picked at random from a
# private range so parallel runs on one machine rarely race for the same one.
_ts_free_port() {
    local port tries=0
    while [ "$tries" -lt 200 ]; do
        port=$((20000 + RANDOM % 40000))
        tries=$((tries + 1))
        # A refused connection means the port is free.
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            printf '%s\n' "$port"
            return 0
        fi
    done
    _ts_log "no free TCP port found on 127.0.0.1"
    return 1
}

# Prints the bin directory of the newest installed PostgreSQL server.
_ts_pg_bindir() {
    local dir
    dir="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null |
        sort -V | tail -n 1)"
    if [ -z "$dir" ] || [ ! -x "$dir/initdb" ] || [ ! -x "$dir/pg_ctl" ]; then
        return 1
    fi
    printf '%s\n' "$dir"
}

# Runs a command as the account that owns the PostgreSQL data directory.
_ts_pg_as() {
    if [ -n "$_ts_pg_runas" ]; then
        runuser -u "$_ts_pg_runas" -- "$@"
    else
        "$@"
    fi
}

# Starts a private PostgreSQL on 127.0.0.1 and exports TRADESCOUT_TEST_PG_URL.
start_postgres() {
    if [ -n "$_ts_pg_dir" ]; then
        _ts_log "postgres already started"
        return 0
    fi
    _ts_start_postgres || {
        _ts_stop_postgres
        return 1
    }
}

_ts_start_postgres() {
    local t0 bindir port password db="tradescout_test" user="tradescout"
    t0="$(_ts_now)"
    if ! bindir="$(_ts_pg_bindir)"; then
        _ts_ensure_packages postgresql || return 1
        bindir="$(_ts_pg_bindir)" || {
            _ts_log "no PostgreSQL server under /usr/lib/postgresql/*/bin"
            return 1
        }
    fi
    # initdb refuses to run as root.
    _ts_pg_runas=""
    if [ "$(id -u)" -eq 0 ]; then
        if id -u postgres >/dev/null 2>&1; then
            _ts_pg_runas=postgres
        else
            _ts_ensure_user || return 1
            _ts_pg_runas="$TS_SERVICES_USER"
        fi
    fi
    port="$(_ts_free_port)" || return 1
    password="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
    _ts_pg_dir="$(mktemp -d "$TS_SERVICES_TMP/tradescout-pg.XXXXXX")" || {
        _ts_log "cannot create a temp dir for postgres"
        return 1
    }
    mkdir -p "$_ts_pg_dir/data" "$_ts_pg_dir/socket"
    printf '%s\n' "$password" >"$_ts_pg_dir/pwfile"
    if [ -n "$_ts_pg_runas" ]; then
        chown -R "$_ts_pg_runas" "$_ts_pg_dir"
    fi
    chmod 700 "$_ts_pg_dir/data"
    _ts_pg_ctl="$bindir/pg_ctl"

    if ! _ts_pg_as "$bindir/initdb" -D "$_ts_pg_dir/data" -U "$user" \
        --pwfile="$_ts_pg_dir/pwfile" -A scram-sha-256 -E UTF8 --locale=C.UTF-8 \
        --no-sync >"$_ts_pg_dir/initdb.log" 2>&1; then
        _ts_log "initdb failed; log follows"
        cat "$_ts_pg_dir/initdb.log" >&2
        return 1
    fi
    # Durability is worth nothing in a throw-away test cluster; speed is.
    if ! _ts_pg_as "$_ts_pg_ctl" -D "$_ts_pg_dir/data" -l "$_ts_pg_dir/postgres.log" \
        -w -t "$TS_SERVICES_WAIT" \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $_ts_pg_dir/socket -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null; then
        _ts_log "postgres did not start within ${TS_SERVICES_WAIT}s on 127.0.0.1:$port; log follows"
        cat "$_ts_pg_dir/postgres.log" >&2
        return 1
    fi
    if ! PGPASSWORD="$password" "$bindir/psql" -X -q -h 127.0.0.1 -p "$port" -U "$user" \
        -d postgres -v ON_ERROR_STOP=1 -c "CREATE DATABASE $db" >/dev/null; then
        _ts_log "cannot create database $db on 127.0.0.1:$port"
        return 1
    fi
    export TRADESCOUT_TEST_PG_URL="postgres://$user:$password@127.0.0.1:$port/$db"
    _ts_log "postgres ready on 127.0.0.1:$port (db $db) in $(_ts_elapsed "$t0")s"
}

# Starts a private Dovecot IMAP server on 127.0.0.1 and exports TRADESCOUT_TEST_IMAP_*.
start_dovecot() {
    if [ -n "$_ts_dovecot_dir" ]; then
        _ts_log "dovecot already started"
        return 0
    fi
    _ts_start_dovecot || {
        _ts_stop_dovecot
        return 1
    }
}

_ts_start_dovecot() {
    local t0 dir tls_port plain_port uid gid user="buyer-mail" password dh_line=""
    t0="$(_ts_now)"
    if [ "$(id -u)" -ne 0 ]; then
        _ts_log "dovecot needs root (it switches to the mail and login users)"
        return 1
    fi
    _ts_ensure_packages dovecot-imapd openssl || return 1
    _ts_ensure_user || return 1
    uid="$(id -u "$TS_SERVICES_USER")"
    gid="$(id -g "$TS_SERVICES_USER")"
    tls_port="$(_ts_free_port)" || return 1
    plain_port="$(_ts_free_port)" || return 1
    while [ "$plain_port" = "$tls_port" ]; do
        plain_port="$(_ts_free_port)" || return 1
    done
    password="$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"

    dir="$(mktemp -d "$TS_SERVICES_TMP/tradescout-dovecot.XXXXXX")" || {
        _ts_log "cannot create a temp dir for dovecot"
        return 1
    }
    _ts_dovecot_dir="$dir"
    # Login and auth processes run as dovenull/dovecot and must reach base_dir and the passwd file.
    chmod 755 "$dir"
    mkdir -p "$dir/run" "$dir/state" "$dir/tls" "$dir/mail"
    chown "$uid:$gid" "$dir/mail"
    chmod 700 "$dir/mail"

    _ts_make_certs "$dir/tls" || return 1

    printf '%s:{PLAIN}%s\n' "$user" "$password" >"$dir/users"
    chmod 644 "$dir/users"
    if [ -r /usr/share/dovecot/dh.pem ]; then
        dh_line="ssl_dh = </usr/share/dovecot/dh.pem"
    fi

    cat >"$dir/dovecot.conf" <<EOF
# Private Dovecot for the tradescout test suite; nothing here reads /etc/dovecot.
instance_name = tradescout-test-$tls_port
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/dovecot.log
info_log_path = $dir/dovecot.log
protocols = imap
listen = 127.0.0.1
shutdown_clients = yes

ssl = yes
ssl_cert = <$dir/tls/server.crt
ssl_key = <$dir/tls/server.key
ssl_min_protocol = TLSv1.2
$dh_line

# The plain port must accept LOGIN without STARTTLS so tests can cover --plain.
disable_plaintext_auth = no
auth_mechanisms = plain login
# Tests try wrong passwords on purpose; do not make them wait the default 2 s.
auth_failure_delay = 0
auth_verbose = yes

passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $dir/users
}
userdb {
  driver = static
  args = uid=$uid gid=$gid home=$dir/mail/%u
}
mail_location = maildir:~/Maildir
mail_uid = $uid
mail_gid = $gid
first_valid_uid = $uid
last_valid_uid = $uid
first_valid_gid = $gid
last_valid_gid = $gid

service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $plain_port
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $tls_port
    ssl = yes
  }
}
EOF

    if ! doveconf -c "$dir/dovecot.conf" -n >"$dir/doveconf.out" 2>&1; then
        _ts_log "dovecot rejected its config; doveconf says:"
        cat "$dir/doveconf.out" >&2
        return 1
    fi
    if ! dovecot -c "$dir/dovecot.conf" >"$dir/start.out" 2>&1; then
        _ts_log "dovecot did not start; output follows"
        cat "$dir/start.out" "$dir/dovecot.log" >&2 2>/dev/null
        return 1
    fi
    if ! _ts_wait_imap "$plain_port" "$tls_port" "$dir/tls/ca.crt"; then
        _ts_log "dovecot did not answer on 127.0.0.1:$plain_port/$tls_port within ${TS_SERVICES_WAIT}s; log follows"
        cat "$dir/dovecot.log" >&2 2>/dev/null
        return 1
    fi

    export TRADESCOUT_TEST_IMAP_HOST=127.0.0.1
    export TRADESCOUT_TEST_IMAP_TLS_PORT="$tls_port"
    export TRADESCOUT_TEST_IMAP_PLAIN_PORT="$plain_port"
    export TRADESCOUT_TEST_IMAP_USER="$user"
    export TRADESCOUT_TEST_IMAP_PASSWORD="$password"
    export TRADESCOUT_TEST_IMAP_CA="$dir/tls/ca.crt"
    _ts_log "dovecot ready on 127.0.0.1 (imaps $tls_port, imap+starttls $plain_port) in $(_ts_elapsed "$t0")s"
}

# Writes ca.crt and server.{crt,key} (CN and SAN localhost, SAN IP 127.0.0.1) into $1.
_ts_make_certs() {
    local out="$1"
    {
        openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
            -keyout "$out/ca.key" -out "$out/ca.crt" -days 30 -subj "/CN=tradescout test CA" \
            -addext "basicConstraints=critical,CA:TRUE" \
            -addext "keyUsage=critical,keyCertSign,cRLSign" &&
            openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
                -keyout "$out/server.key" -out "$out/server.csr" -subj "/CN=localhost" &&
            printf '%s\n' "basicConstraints=critical,CA:FALSE" \
                "keyUsage=critical,digitalSignature" \
                "extendedKeyUsage=serverAuth" \
                "subjectAltName=DNS:localhost,IP:127.0.0.1" >"$out/server.ext" &&
            openssl x509 -req -in "$out/server.csr" -CA "$out/ca.crt" -CAkey "$out/ca.key" \
                -CAcreateserial -days 30 -sha256 -extfile "$out/server.ext" \
                -out "$out/server.crt"
    } >"$out/openssl.log" 2>&1 || {
        _ts_log "cannot make the test certificates; openssl says:"
        cat "$out/openssl.log" >&2
        return 1
    }
    chmod 600 "$out/ca.key" "$out/server.key"
    chmod 644 "$out/ca.crt" "$out/server.crt"
}

# Waits until the plain port sends an IMAP greeting and the TLS port completes a verified
# handshake followed by a greeting.
_ts_wait_imap() {
    local plain_port="$1" tls_port="$2" ca="$3" deadline greeting
    deadline=$((SECONDS + TS_SERVICES_WAIT))
    while [ "$SECONDS" -lt "$deadline" ]; do
        greeting="$(timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$plain_port && head -n 1 <&3" \
            2>/dev/null || true)"
        if [[ "$greeting" == "* OK"* ]] &&
            printf 'a LOGOUT\r\n' |
            timeout 5 openssl s_client -connect "127.0.0.1:$tls_port" -CAfile "$ca" \
                -verify_return_error -verify_ip 127.0.0.1 -quiet 2>/dev/null |
            grep -q '^\* OK'; then
            return 0
        fi
        sleep 0.2
    done
    return 1
}

# Stops whatever start_* started and removes its temp dirs. Safe to call more than once.
stop_services() {
    _ts_stop_dovecot
    _ts_stop_postgres
    return 0
}

_ts_stop_dovecot() {
    local pid="" i
    [ -n "$_ts_dovecot_dir" ] || return 0
    if [ -f "$_ts_dovecot_dir/run/master.pid" ]; then
        pid="$(cat "$_ts_dovecot_dir/run/master.pid" 2>/dev/null || true)"
        if ! dovecot -c "$_ts_dovecot_dir/dovecot.conf" stop >/dev/null 2>&1 && [ -n "$pid" ]; then
            kill "$pid" 2>/dev/null || true
        fi
        # Wait briefly so the temp dir is not removed under a running master.
        for i in $(seq 1 50); do
            { [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; } || break
            sleep 0.1
        done
    fi
    rm -rf "$_ts_dovecot_dir"
    _ts_dovecot_dir=""
    unset TRADESCOUT_TEST_IMAP_HOST TRADESCOUT_TEST_IMAP_TLS_PORT TRADESCOUT_TEST_IMAP_PLAIN_PORT \
        TRADESCOUT_TEST_IMAP_USER TRADESCOUT_TEST_IMAP_PASSWORD TRADESCOUT_TEST_IMAP_CA
    return 0
}

_ts_stop_postgres() {
    [ -n "$_ts_pg_dir" ] || return 0
    if [ -f "$_ts_pg_dir/data/postmaster.pid" ]; then
        _ts_pg_as "$_ts_pg_ctl" -D "$_ts_pg_dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$_ts_pg_dir"
    _ts_pg_dir=""
    unset TRADESCOUT_TEST_PG_URL
    return 0
}

# Headless Chromium for the browser test: Debian's chromium and chromium-driver. The test
# starts chromedriver itself; this makes sure both are installed and says where.
start_chromium() {
    # A CJK font so the zh-CN screenshots are readable.
    _ts_ensure_packages chromium chromium-driver fonts-wqy-zenhei || return 1
    local browser driver
    browser="$(command -v chromium || true)"
    driver="$(command -v chromedriver || true)"
    if [ -z "$browser" ] || [ -z "$driver" ]; then
        _ts_log "chromium or chromedriver not found after install"
        return 1
    fi
    export TRADESCOUT_TEST_CHROMIUM="$browser"
    export TRADESCOUT_TEST_CHROMEDRIVER="$driver"
    export TRADESCOUT_ARTIFACTS_DIR="${TRADESCOUT_ARTIFACTS_DIR:-$CARGO_TARGET_DIR/test-artifacts}"
    mkdir -p "$TRADESCOUT_ARTIFACTS_DIR"
    _ts_log "chromium ready ($("$browser" --version 2>/dev/null | head -1)); screenshots go to $TRADESCOUT_ARTIFACTS_DIR"
}
