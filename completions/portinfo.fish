# fish completion for portinfo(1)
#
# Completes commands, each command's own options (exactly as its --help lists them:
# tests/docs/check-completion.py compares them) and their values, protocols after "PORT/", and a
# fixed list of common IANA service names.  It never runs portinfo.

set -l __portinfo_commands search range who audit serve export votes update annotate
set -l __portinfo_services amqp bgp bootpc bootps domain domain-s femis ftp ftp-data git http \
    http-alt https imap imaps ipp irc isakmp kerberos ldap ldaps microsoft-ds mongodb mqtt \
    ms-sql-s ms-wbt-server mysql netbios-ns netbios-ssn nfs ntp openvpn pop3 pop3s postgresql \
    radius redis rfb rsync rtsp sip sips smtp snmp ssh submission submissions sunrpc syslog \
    telnet tftp x11 xmpp-client xmpp-server

# The command word on the line, if any.
function __portinfo_cmd
    set -l words (commandline -opc)
    set -e words[1]
    for w in $words
        if contains -- $w search range who audit serve export update annotate votes
            echo $w
            return 0
        end
        string match -qr -- '^-' $w; or return 1
    end
    return 1
end

# Whether the command word is one of $argv (no argument: whether there is none).
function __portinfo_is
    set -l cmd (__portinfo_cmd)
    if test (count $argv) -eq 0
        test -z "$cmd"
    else
        contains -- "$cmd" $argv
    end
end

# PORT/PROTO: the protocols after what is typed so far.
function __portinfo_protocols
    set -l tok (commandline -ct)
    string match -qr '^[^-/][^/]*/' -- $tok; or return
    set -l base (string replace -r '/.*' '' -- $tok)
    set -l protos tcp udp sctp dccp
    __portinfo_is who; and set protos tcp udp
    for p in $protos
        echo $base/$p
    end
end

complete -c portinfo -f

# portinfo, search and range (the main command line).
set -l main "__portinfo_is; or __portinfo_is search range"
complete -c portinfo -n $main -s j -l json -d 'print JSON'
complete -c portinfo -n $main -l format -x -a 'text json tsv csv' -d 'output format'
complete -c portinfo -n $main -l color -x -a 'auto always never' -d 'colour'
complete -c portinfo -n $main -l data-dir -x -a '(__fish_complete_directories)' -d 'data directory'
complete -c portinfo -n $main -s h -l help -d 'show the help'
complete -c portinfo -n $main -s V -l version -d 'version and data'
complete -c portinfo -n __portinfo_is -a "$__portinfo_commands" -d command
complete -c portinfo -n __portinfo_is -a "- $__portinfo_services" -d 'service or stdin'
complete -c portinfo -n '__portinfo_is; or __portinfo_is who' -a '(__portinfo_protocols)'
complete -c portinfo -n '__portinfo_is who' -a "$__portinfo_services"

# who
complete -c portinfo -n '__portinfo_is who' -s j -l json -d 'print JSON'
complete -c portinfo -n '__portinfo_is who' -l format -x -a 'text json tsv csv' -d 'output format'
complete -c portinfo -n '__portinfo_is who' -l brief -d 'one line per socket'
complete -c portinfo -n '__portinfo_is who' -s l -d 'listening sockets only'
complete -c portinfo -n '__portinfo_is who' -l all-netns -d 'every network namespace'
complete -c portinfo -n '__portinfo_is who' -l color -x -a 'auto always never' -d 'colour'
complete -c portinfo -n '__portinfo_is who' -s h -l help -d 'show the help'

# audit
complete -c portinfo -n '__portinfo_is audit' -s j -l json -d 'print JSON'
complete -c portinfo -n '__portinfo_is audit' -l format -x -a 'text json tsv csv prometheus' -d 'output format'
complete -c portinfo -n '__portinfo_is audit' -l min-severity -x -a 'low medium high' -d 'threshold'
complete -c portinfo -n '__portinfo_is audit' -l allowlist -r -F -d 'allowlist file'
complete -c portinfo -n '__portinfo_is audit' -l all-netns -d 'every network namespace'
complete -c portinfo -n '__portinfo_is audit' -l partial-ok -d 'judge an incomplete audit'
complete -c portinfo -n '__portinfo_is audit' -l color -x -a 'auto always never' -d 'colour'
complete -c portinfo -n '__portinfo_is audit' -s h -l help -d 'show the help'

# serve
complete -c portinfo -n '__portinfo_is serve' -l listen -x -d 'ADDR:PORT'
complete -c portinfo -n '__portinfo_is serve' -l feedback -r -F -d 'vote store'
complete -c portinfo -n '__portinfo_is serve' -l data-dir -x -a '(__fish_complete_directories)' -d 'data directory'
complete -c portinfo -n '__portinfo_is serve' -l site-name -x -d 'site name'
complete -c portinfo -n '__portinfo_is serve' -l static-dir -x -a '(__fish_complete_directories)' -d 'CSS and scripts'
complete -c portinfo -n '__portinfo_is serve' -l vote-url -x -d 'vote endpoint'
complete -c portinfo -n '__portinfo_is serve' -l base-url -x -d 'public address'
complete -c portinfo -n '__portinfo_is serve' -l votes-per-address -x -d 'new-voter votes per network'
complete -c portinfo -n '__portinfo_is serve' -l allow-origin -x -d 'origin allowed to vote'
complete -c portinfo -n '__portinfo_is serve' -l threads -x -d 'event loops'
complete -c portinfo -n '__portinfo_is serve' -l max-connections -x -d 'connections at most'
complete -c portinfo -n '__portinfo_is serve' -l max-per-address -x -d 'per address at most'
complete -c portinfo -n '__portinfo_is serve' -l timeout -x -d seconds
complete -c portinfo -n '__portinfo_is serve' -l no-access-log -d 'no request log'
complete -c portinfo -n '__portinfo_is serve' -l user -x -a '(__fish_complete_users)' -d 'run as'
complete -c portinfo -n '__portinfo_is serve' -s h -l help -d 'show the help'

# export
complete -c portinfo -n '__portinfo_is export' -l vote-url -x -d 'vote endpoint'
complete -c portinfo -n '__portinfo_is export' -l site-name -x -d 'site name'
complete -c portinfo -n '__portinfo_is export' -l base-url -x -d 'public address'
complete -c portinfo -n '__portinfo_is export' -l api -d 'also the API objects'
complete -c portinfo -n '__portinfo_is export' -l compress -x -a 'fast best none' -d 'compressed copies'
complete -c portinfo -n '__portinfo_is export' -l force -d 'write into a folder that is not empty'
complete -c portinfo -n '__portinfo_is export' -l ports -x -d LO-HI
complete -c portinfo -n '__portinfo_is export' -l threads -x -d renderers
complete -c portinfo -n '__portinfo_is export' -l data-dir -x -a '(__fish_complete_directories)' -d 'data directory'
complete -c portinfo -n '__portinfo_is export' -l static-dir -x -a '(__fish_complete_directories)' -d 'CSS and scripts'
complete -c portinfo -n '__portinfo_is export' -s h -l help -d 'show the help'
complete -c portinfo -n '__portinfo_is export' -a '(__fish_complete_directories)'

# update
complete -c portinfo -n '__portinfo_is update' -l fetch -d 'download the registry'
complete -c portinfo -n '__portinfo_is update' -l timeout -x -d seconds
complete -c portinfo -n '__portinfo_is update' -l max-size -x -d 'largest registry'
complete -c portinfo -n '__portinfo_is update' -l force -d 'accept a registry out of bounds'
complete -c portinfo -n '__portinfo_is update' -l dry-run -d 'check only'
complete -c portinfo -n '__portinfo_is update' -l verbose -d 'every change'
complete -c portinfo -n '__portinfo_is update' -l rollback -d 'the previous table'
complete -c portinfo -n '__portinfo_is update' -l data-dir -x -a '(__fish_complete_directories)' -d 'data directory'
complete -c portinfo -n '__portinfo_is update' -F

# annotate
complete -c portinfo -n '__portinfo_is annotate' -l from -x -a 'ss netstat netstat-windows lsof nmap-grep nmap-xml' -d 'the tool'
complete -c portinfo -n '__portinfo_is annotate' -s j -l json -d 'print JSON'
complete -c portinfo -n '__portinfo_is annotate' -l data-dir -x -a '(__fish_complete_directories)' -d 'data directory'
complete -c portinfo -n '__portinfo_is annotate' -s h -l help -d 'show the help'
complete -c portinfo -n '__portinfo_is annotate' -F

# votes
complete -c portinfo -n '__portinfo_is votes' -l json -d 'print JSON'
complete -c portinfo -n '__portinfo_is votes' -l csv -d 'print CSV'
complete -c portinfo -n '__portinfo_is votes' -l feedback -r -F -d 'vote store'
complete -c portinfo -n '__portinfo_is votes' -l data-dir -x -a '(__fish_complete_directories)' -d 'data directory'
complete -c portinfo -n '__portinfo_is votes' -l top -x -d 'pages at most'
complete -c portinfo -n '__portinfo_is votes' -l format -x -a 'text json csv' -d 'output format'
complete -c portinfo -n '__portinfo_is votes' -s h -l help -d 'show the help'
