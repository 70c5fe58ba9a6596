# bash completion for portinfo(1)                                  -*- shell-script -*-
#
# Completes commands, each command's own options and their values, protocols after "PORT/" or
# "NAME/", and a fixed list of common IANA service names.  It never runs portinfo: completion
# stays instant.
# Works with or without the bash-completion package.

# Common IANA service names (the registry's spelling: "domain", not "dns").
_portinfo_services='amqp auth bgp bootpc bootps docker docker-s domain domain-s eldim
etcd-client exec femis finger ftp ftp-data git gopher http http-alt https imap imaps
ipp ipsec-nat-t irc isakmp kerberos kerberos-adm klogin kshell l2tp ldap ldaps login
memcache microsoft-ds mongodb mqtt ms-sql-m ms-sql-s ms-wbt-server mysql netbios-ns
netbios-ssn nfs nntp nrpe ntp openvpn pop3 pop3s postgresql pptp printer puppet radius
radius-acct redis rfb rsync rtsp shell sip sips smtp snmp snmptrap socks ssh submission
submissions sunrpc svn syslog telnet tftp x11 xmpp-client xmpp-server zabbix-agent'

_portinfo_commands='search range who audit serve export votes update annotate'
_portinfo_protocols='tcp udp sctp dccp'

# Each command's options, exactly as its --help lists them (tests/docs/check-completion.py
# compares them).  A value joined with "=" ends in "=".
_portinfo_opts_main='--json --format --color= --data-dir --help --version'
_portinfo_opts_who='--json --brief --format -l --all-netns --color= --help'
_portinfo_opts_audit='--json --format --min-severity --allowlist --all-netns --partial-ok --color= --help'
_portinfo_opts_serve='--listen --feedback --data-dir --site-name --static-dir --vote-url
--base-url --allow-origin --threads --max-connections --max-per-address --votes-per-address
--timeout --no-access-log --user --help'
_portinfo_opts_export='--vote-url --site-name --base-url --force --ports --threads --data-dir
--static-dir --api --compress --help'
_portinfo_opts_update='--fetch --timeout --max-size --force --dry-run --verbose --rollback --data-dir'
_portinfo_opts_annotate='--from --json --data-dir --help'
_portinfo_opts_votes='--json --csv --format --feedback --data-dir --top --help'

# Options whose value is the next word (or follows "="), and what completes it.
_portinfo_valued='--data-dir --format --min-severity --allowlist --listen --feedback --site-name
--static-dir --vote-url --allow-origin --threads --max-connections --max-per-address --timeout
--user --ports --from --top
--base-url --votes-per-address --compress --max-size'

# Sets COMPREPLY to the words of $1 that start with $2, each prefixed with $3.
_portinfo_reply()
{
	local w
	COMPREPLY=()
	for w in $1; do
		[[ $w == "$2"* ]] && COMPREPLY+=("$3$w")
	done
}

# Sets COMPREPLY to directories (and, with $2 = files, registry files) matching $1.
_portinfo_paths()
{
	local line
	COMPREPLY=()
	compopt -o filenames 2>/dev/null
	while IFS= read -r line; do
		COMPREPLY+=("$line")
	done < <(compgen -d -- "$1")
	[[ $2 == files ]] || return 0
	while IFS= read -r line; do
		[[ -d $line ]] && continue
		case ${line,,} in
		*.xml | *.csv) COMPREPLY+=("$line") ;;
		esac
	done < <(compgen -f -- "$1")
}

# Sets COMPREPLY to the values of option $1 (in command $3) that start with $2.
_portinfo_value()
{
	local w
	case $1 in
	--color | --colour) _portinfo_reply 'auto always never' "$2" "" ;;
	--data-dir | --static-dir) _portinfo_paths "$2" ;;
	--min-severity) _portinfo_reply 'low medium high' "$2" "" ;;
	--format)
		if [[ $3 == audit ]]; then
			_portinfo_reply 'text json tsv csv prometheus' "$2" ""
		else
			_portinfo_reply 'text json tsv csv' "$2" ""
		fi
		;;
	--from) _portinfo_reply 'ss netstat netstat-windows lsof nmap-grep nmap-xml' "$2" "" ;;
	--allowlist) COMPREPLY=($(compgen -f -- "$2")) ;;
	--feedback)
		_portinfo_paths "$2"
		while IFS= read -r w; do
			[[ -d $w ]] || COMPREPLY+=("$w")
		done < <(compgen -f -- "$2")
		;;
	--user) COMPREPLY=($(compgen -u -- "$2")) ;;
	*) COMPREPLY=() ;;
	esac
	return 0
}

# The command word among COMP_WORDS[1 .. COMP_CWORD-1] (empty: none), into _portinfo_cmd, and
# how many operands follow it, into _portinfo_operands.
_portinfo_scan()
{
	local i w
	_portinfo_cmd=""
	_portinfo_operands=0
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if [[ " "$_portinfo_valued" " == *[[:space:]]"$w"[[:space:]]* ]]; then
			[[ ${COMP_WORDS[i + 1]} == = ]] && ((i++))
			((i++))
			continue
		fi
		case $w in
		=)
			((i++))
			continue
			;;
		-[0-9]*) ;;
		-*) continue ;;
		esac
		if [[ -z $_portinfo_cmd && $_portinfo_operands -eq 0 &&
			" $_portinfo_commands " == *" $w "* ]]; then
			_portinfo_cmd=$w
		else
			((_portinfo_operands++))
		fi
	done
}

_portinfo()
{
	local cur prev opt="" cmd operands opts
	local _portinfo_cmd _portinfo_operands
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	_portinfo_scan
	cmd=$_portinfo_cmd
	operands=$_portinfo_operands

	# "--color=al": bash splits at "=" when it is in COMP_WORDBREAKS, so the word is "al" (or
	# "=" right after the sign) and the option is one or two words back.
	if [[ $cur == = ]]; then
		_portinfo_value "$prev" "" "$cmd"
		return 0
	elif [[ $prev == = && $COMP_CWORD -ge 2 ]]; then
		_portinfo_value "${COMP_WORDS[COMP_CWORD - 2]}" "$cur" "$cmd"
		return 0
	elif [[ $cur == --*=* ]]; then
		# "=" is not a word break here: complete the whole word.
		opt=${cur%%=*}
		_portinfo_value "$opt" "${cur#*=}" "$cmd"
		COMPREPLY=("${COMPREPLY[@]/#/$opt=}")
		return 0
	fi
	# "--color WHEN" is read too, when WHEN is one of its words.
	if [[ " "$_portinfo_valued" " == *[[:space:]]"$prev"[[:space:]]* ||
		$prev == --color || $prev == --colour ]]; then
		_portinfo_value "$prev" "$cur" "$cmd"
		return 0
	fi

	if [[ $cur == -* ]]; then
		case $cmd in
		who | audit | serve | export | update | annotate | votes)
			opts=_portinfo_opts_$cmd
			opts=${!opts}
			;;
		*) opts=$_portinfo_opts_main ;;
		esac
		_portinfo_reply "$opts" "$cur" ""
		[[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null
		return 0
	fi

	case $cmd in
	search | range | audit | serve | votes)
		COMPREPLY=()
		return 0
		;;
	update)
		((operands == 0)) && _portinfo_paths "$cur" files
		return 0
		;;
	export)
		((operands == 0)) && _portinfo_paths "$cur"
		return 0
		;;
	annotate)
		COMPREPLY=($(compgen -f -- "$cur"))
		compopt -o filenames 2>/dev/null
		return 0
		;;
	esac

	# PORT/PROTO or NAME/PROTO (who takes TCP and UDP ports only).
	if [[ $cur == */* ]]; then
		if [[ $cmd == who ]]; then
			_portinfo_reply 'tcp udp' "${cur#*/}" "${cur%%/*}/"
		else
			_portinfo_reply "$_portinfo_protocols" "${cur#*/}" "${cur%%/*}/"
		fi
		return 0
	fi
	if [[ $cur == [0-9]* ]]; then
		COMPREPLY=()
		return 0
	fi
	if [[ $cmd == who ]]; then
		_portinfo_reply "$_portinfo_services" "$cur" ""
	elif ((operands == 0)); then
		_portinfo_reply "$_portinfo_commands - $_portinfo_services" "$cur" ""
	else
		_portinfo_reply "$_portinfo_services" "$cur" ""
	fi
	return 0
}

complete -F _portinfo portinfo
