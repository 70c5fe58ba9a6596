# bash completion for portinfo(1)                                  -*- shell-script -*-
#
# Completes commands, options and their values, protocols after "PORT/" or "NAME/", and a fixed
# list of common IANA service names.  It never runs portinfo: completion stays instant.
# Works with or without the bash-completion package.

# Common IANA service names (the registry's spelling: "domain", not "dns").
_portinfo_services='amqp auth bgp bootpc bootps docker docker-s domain domain-s eldim
etcd-client exec femis finger ftp ftp-data git gopher http http-alt https imap imaps
ipp ipsec-nat-t irc isakmp kerberos kerberos-adm klogin kshell l2tp ldap ldaps login
memcache microsoft-ds mongodb mqtt ms-sql-m ms-sql-s ms-wbt-server mysql netbios-ns
netbios-ssn nfs nntp nrpe ntp openvpn pop3 pop3s postgresql pptp printer puppet radius
radius-acct redis rfb rsync rtsp shell sip sips smtp snmp snmptrap socks ssh submission
submissions sunrpc svn syslog telnet tftp x11 xmpp-client xmpp-server zabbix-agent'

_portinfo_commands='search range who audit serve export update'
_portinfo_protocols='tcp udp sctp dccp'

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

_portinfo()
{
	local cur prev opt="" cmd="" operands=0 i w
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}

	# "--color=al": bash splits at "=" when it is in COMP_WORDBREAKS, so the word is "al" (or
	# "=" right after the sign) and the option is one or two words back.
	if [[ $cur == = ]]; then
		opt=$prev
		cur=""
	elif [[ $prev == = && $COMP_CWORD -ge 2 ]]; then
		opt=${COMP_WORDS[COMP_CWORD - 2]}
	elif [[ $cur == --*=* ]]; then
		# "=" is not a word break here: complete the whole word.
		opt=${cur%%=*}
		case $opt in
		--color | --colour) _portinfo_reply 'auto always never' "${cur#*=}" "$opt=" ;;
		--data-dir) _portinfo_paths "${cur#*=}" && COMPREPLY=("${COMPREPLY[@]/#/$opt=}") ;;
		--min-severity) _portinfo_reply 'low medium high' "${cur#*=}" "$opt=" ;;
		--format) _portinfo_reply 'text json prometheus' "${cur#*=}" "$opt=" ;;
		esac
		return 0
	fi
	case $opt in
	--color | --colour)
		_portinfo_reply 'auto always never' "$cur" ""
		return 0
		;;
	--data-dir)
		_portinfo_paths "$cur"
		return 0
		;;
	--min-severity)
		_portinfo_reply 'low medium high' "$cur" ""
		return 0
		;;
	--format)
		_portinfo_reply 'text json prometheus' "$cur" ""
		return 0
		;;
	esac

	# Options that take the next word as their value.
	case $prev in
	--data-dir)
		_portinfo_paths "$cur"
		return 0
		;;
	--min-severity)
		_portinfo_reply 'low medium high' "$cur" ""
		return 0
		;;
	--format)
		_portinfo_reply 'text json prometheus' "$cur" ""
		return 0
		;;
	--allowlist)
		COMPREPLY=($(compgen -f -- "$cur"))
		return 0
		;;
	--feedback)
		_portinfo_paths "$cur"
		while IFS= read -r w; do
			[[ -d $w ]] || COMPREPLY+=("$w")
		done < <(compgen -f -- "$cur")
		return 0
		;;
	--listen | --vote-url | --site-name | --ports | --threads)
		return 0
		;;
	--static-dir)
		_portinfo_paths "$cur"
		return 0
		;;
	esac

	# The command word (if any) and how many operands come before the cursor.
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		--data-dir | --min-severity | --format | --listen | --feedback | --vote-url | --site-name | \
			--ports | --threads | --static-dir | --allowlist)
			[[ ${COMP_WORDS[i + 1]} == = ]] && ((i++))
			((i++))
			continue
			;;
		=)
			((i++))
			continue
			;;
		-[0-9]*) ;;
		-*) continue ;;
		esac
		if [[ -z $cmd && $operands -eq 0 && " $_portinfo_commands " == *" $w "* ]]; then
			cmd=$w
		else
			((operands++))
		fi
	done

	if [[ $cur == -* ]]; then
		local opts='--json --color= --data-dir --help --version'
		case $cmd in
		search | range) opts='--json --color= --data-dir' ;;
		who) opts='--json -l --all-netns --color= --data-dir' ;;
		audit) opts='--json --format= --min-severity --allowlist --all-netns --color= --data-dir' ;;
		serve) opts='--listen --feedback' ;;
		update) opts='--force --dry-run --verbose --rollback --fetch --timeout --max-size --data-dir --help' ;;
		export) opts='--vote-url --site-name --force --ports --threads --data-dir --static-dir --help' ;;
		esac
		_portinfo_reply "$opts" "$cur" ""
		[[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null
		return 0
	fi

	case $cmd in
	search | range | audit | serve)
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
	esac

	# PORT/PROTO or NAME/PROTO (who takes ports only).
	if [[ $cur == */* ]]; then
		_portinfo_reply "$_portinfo_protocols" "${cur#*/}" "${cur%%/*}/"
		return 0
	fi
	if [[ $cur == [0-9]* || $cmd == who ]]; then
		COMPREPLY=()
		return 0
	fi
	if ((operands == 0)); then
		_portinfo_reply "$_portinfo_commands $_portinfo_services" "$cur" ""
	else
		_portinfo_reply "$_portinfo_services" "$cur" ""
	fi
	return 0
}

complete -F _portinfo portinfo
