#!/bin/sh
# test-unit.sh UNIT PORTINFO: the systemd unit is valid and keeps its sandbox.
#
# `systemd-analyze verify` the unit as built (with ExecStart pointed at the built portinfo, as
# verify wants an executable there) and, where systemd-analyze can judge it offline, requires an
# exposure of at most 2.0 ("OK").  Skips (77) without systemd-analyze.
set -eu
[ $# -eq 2 ] || { echo "usage: test-unit.sh UNIT PORTINFO" >&2; exit 2; }
unit=$1 portinfo=$2
analyze=$(command -v systemd-analyze || true)
if [ -z "$analyze" ]; then
        echo "SKIP: systemd-analyze is not installed (tools/deps/test/deploy.txt)"
        [ "${CI:-}" = true ] && exit 1
        exit 77
fi
fails=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fails=$((fails + 1)); }

for d in User=portinfo StateDirectory=portinfo StateDirectoryMode=0755 UMask=0077 Environment=PORTINFO_DATA_DIR=/var/lib/portinfo \
        ProtectSystem=strict ProtectHome=yes PrivateTmp=yes PrivateDevices=yes NoNewPrivileges=yes \
        'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' RestrictNamespaces=yes \
        LockPersonality=yes MemoryDenyWriteExecute=yes SystemCallFilter=@system-service \
        CapabilityBoundingSet=; do
        if grep -qx "$d" "$unit"; then ok "the unit sets $d"; else bad "the unit does not set $d"; fi
done
# A static account, never DynamicUser=: under it /var/lib/portinfo moves into /var/lib/private,
# where the command line's users cannot read the registry tables (dist/portinfo.sysusers).
if grep -q '^DynamicUser=yes' "$unit"; then bad "the unit uses DynamicUser="; else ok "no DynamicUser="; fi
sysusers=$(dirname "$0")/../../dist/portinfo.sysusers
if grep -qE '^u portinfo - ".*" /var/lib/portinfo$' "$sysusers"; then
        ok "sysusers.d creates the account portinfo"
else
        bad "dist/portinfo.sysusers does not create the account portinfo"
fi
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
case $exec_start in
/*/portinfo\ serve\ *) ok "ExecStart runs the installed portinfo: $exec_start" ;;
*) bad "ExecStart is not an absolute portinfo serve: $exec_start" ;;
esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed "s#^ExecStart=[^ ]*#ExecStart=$portinfo#" "$unit" >"$tmp/portinfo.service"
if out=$("$analyze" verify --man=no "$tmp/portinfo.service" 2>&1); then
        ok "systemd-analyze verify"
else
        bad "systemd-analyze verify: $out"
fi
if sec=$("$analyze" security --offline=yes --no-pager "$tmp/portinfo.service" 2>/dev/null); then
        level=$(printf '%s\n' "$sec" | sed -n 's/.*Overall exposure level for portinfo.service: \([0-9.]*\).*/\1/p')
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
