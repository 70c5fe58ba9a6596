#!/bin/sh
# test-timer.sh SERVICE TIMER SERVE_UNIT PORTINFO: the weekly `update --fetch` units are valid,
# keep the server's sandbox and user, and reload the server the way it reloads.
#
# `systemd-analyze verify` the service as built (ExecStart pointed at the built portinfo, as
# verify wants an executable there) with its timer, and requires no complaint at all; where
# systemd-analyze can judge the service offline, an exposure of at most 2.0.  Skips (77) without
# systemd-analyze, except under CI.
set -eu
[ $# -eq 4 ] || { echo "usage: test-timer.sh SERVICE TIMER SERVE_UNIT PORTINFO" >&2; exit 2; }
service=$1 timer=$2 serve_unit=$3 portinfo=$4
analyze=$(command -v systemd-analyze || true)
if [ -z "$analyze" ]; then
        echo "SKIP: systemd-analyze is not installed (tools/deps/test/deploy.txt)"
        [ "${CI:-}" = true ] && exit 1
        exit 77
fi
fails=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fails=$((fails + 1)); }
has() { # has FILE LINE WHAT
        if grep -qxF -- "$2" "$1"; then ok "$3 sets $2"; else bad "$3 does not set $2"; fi
}

# The server's user and sandbox, line for line.
for d in User=portinfo Group=portinfo StateDirectory=portinfo StateDirectoryMode=0755 UMask=0022 \
        Environment=PORTINFO_DATA_DIR=/var/lib/portinfo ProtectSystem=strict ProtectHome=yes \
        PrivateTmp=yes PrivateDevices=yes PrivateUsers=yes NoNewPrivileges=yes \
        'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' RestrictNamespaces=yes \
        LockPersonality=yes MemoryDenyWriteExecute=yes SystemCallFilter=@system-service \
        CapabilityBoundingSet= Type=oneshot; do
        has "$service" "$d" "the service"
done
for d in User=portinfo StateDirectory=portinfo StateDirectoryMode=0755 \
        Environment=PORTINFO_DATA_DIR=/var/lib/portinfo; do
        has "$serve_unit" "$d" "portinfo.service (the same directory)"
done
exec_start=$(sed -n 's/^ExecStart=//p' "$service")
case $exec_start in
/*/portinfo\ update\ --fetch) ok "ExecStart runs the installed portinfo: $exec_start" ;;
*) bad "ExecStart is not an absolute 'portinfo update --fetch': $exec_start" ;;
esac
# The server reloads its table on SIGHUP (its ExecReload); the service asks systemd for that.
has "$serve_unit" 'ExecReload=/bin/kill -HUP $MAINPID' "portinfo.service"
has "$service" 'ExecStartPost=-+/bin/systemctl try-reload-or-restart portinfo.service' \
        "the service"

# Weekly, spread, and caught up after downtime.
for d in OnCalendar=weekly Persistent=true WantedBy=timers.target; do
        has "$timer" "$d" "the timer"
done
if grep -q '^RandomizedDelaySec=[1-9]' "$timer"; then ok "the timer sets a randomized delay"
else bad "the timer has no RandomizedDelaySec"; fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed "s#^ExecStart=[^ ]*#ExecStart=$portinfo#" "$service" >"$tmp/portinfo-update.service"
cp "$timer" "$tmp/portinfo-update.timer"
if out=$("$analyze" verify --man=no "$tmp/portinfo-update.service" \
        "$tmp/portinfo-update.timer" 2>&1) && [ -z "$out" ]; then
        ok "systemd-analyze verify, without a complaint"
else
        bad "systemd-analyze verify: $out"
fi
if sec=$("$analyze" security --offline=yes --no-pager "$tmp/portinfo-update.service" 2>/dev/null)
then
        level=$(printf '%s\n' "$sec" |
                sed -n 's/.*Overall exposure level for portinfo-update.service: \([0-9.]*\).*/\1/p')
        if [ -n "$level" ] && awk -v l="$level" 'BEGIN { exit !(l <= 2.0) }'; then
                ok "exposure $level (at most 2.0)"
        else
                bad "exposure ${level:-unknown}, more than 2.0"
        fi
elif [ "${CI:-}" = true ]; then
        bad "this systemd-analyze cannot judge a unit offline (CI must check the exposure)"
else
        echo "note: this systemd-analyze cannot judge a unit offline; exposure not checked"
fi
[ "$fails" -eq 0 ]
