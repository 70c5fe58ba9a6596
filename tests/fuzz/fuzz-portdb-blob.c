/* fuzz-portdb-blob: portdb_open's verifier on untrusted bytes (a data file mapped at run time),
 * and every lookup over whatever it accepts.
 *
 * Each input is tried twice.  First as the blob itself.  Then as a patch script over a small
 * valid blob built at start-up: random bytes almost never carry the right checksum, size and
 * 256 KiB port index, so the script lets the fuzzer reach the checks behind them.
 *
 *   byte 0      flags: 1 keep the template's checksum, 2 keep its size field
 *   bytes 1-2   signed 16-bit (little-endian) change of the blob's length; new bytes are zero
 *   then        patches: offset (32-bit little-endian, taken modulo the length), count, bytes
 *
 * After patching, the checksum and size field are fixed up unless the flags say not to.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aliases_tsv.h"
#include "corrections_tsv.h"
#include "fuzz.h"

/* A small registry that uses every feature of the format: ranges, port-less names, every
 * protocol and status, several entries per port, unofficial uses of each kind. */
static const char template_csv[] =
    "Service Name,Port Number,Transport Protocol,Description,Assignee,Contact,"
    "Registration Date,Modification Date,Reference,Service Code,"
    "Unauthorized Use Reported,Assignment Notes\n"
    ",0,tcp,Reserved,,,,2024-12-20,[RFC6335],,,\n"
    "tcpmux,1,tcp,TCP Port Service Multiplexer,[Mark_Lottor],[Mark_Lottor],,,,,,\n"
    "ssh,22,tcp,The Secure Shell (SSH) Protocol,,,,,[RFC4251],,,Defined TXT keys: u=<username>\n"
    "ssh,22,udp,The Secure Shell (SSH) Protocol,,,,,[RFC4251],,,\n"
    "ssh,22,sctp,SSH,[Randall_Stewart],[Randall_Stewart],,,[RFC4960],,,\n"
    ",24,tcp,any private mail system,,,,,,,,\n"
    "x11,6000-6063,tcp,X Window System,[Stephen_Gildea],[Stephen_Gildea],,,,,,\n"
    "x11,6000-6063,udp,X Window System,[Stephen_Gildea],[Stephen_Gildea],,,,,,\n"
    ",6064-6065,tcp,\"Unassigned\",,,,,,,\"Known unauthorized use, \"\"worm\"\"\",\n"
    "eldim,31337,tcp,eldim is a secure file upload proxy,[Eldim],[Eldim],2021-01-25,,,,,\n"
    ",31338,dccp,Unassigned,,,,,,,,\n"
    "discard,9,dccp,Discard,[Eddie_Kohler],[Eddie_Kohler],2006-03,,[RFC4340],1145656131,,\n"
    "nfsrdma,,,Network File System (NFS) over RDMA,[IESG],[IETF_Chair],2007-01,,[RFC5666],,,\n"
    ",49152-65535,,Reserved for dynamic use,,,,,,,,\n"
    "Caf\xc3\xa9,65535,udp,\xe2\x98\x95 Caf\xc3\xa9 \xf0\x9f\x98\x80,,,,,,,,\n";

static const char template_tsv[] =
    "port\tproto\tkind\tname\tfirst_seen_year\tnote\tsource\tsource_url\tsource_label\t"
    "port_hi\tref_id\tref_url\tera\n"
    "1\tudp\tmalware\tSocket de Troie\t\tOpenVAS list\tsrc-a\thttps://example.org/a\tA\t\t\t\t"
    "historical\n"
    "22\tboth\tsoftware\tssh honeypot\t2010\t\tsrc-b\t\t\t\t\t\t\n"
    "6001\ttcp\tother\tX11 forward\t\t\tsrc-c\t\t\t6010\t\t\t\n"
    "31337\tboth\tmalware\tBack Orifice\t1998\teleet\tsrc-d\thttps://example.org/d\tD\t\t"
    "S0001\thttps://attack.mitre.org/software/S0001/\tmodern\n"
    "31337\tudp\tmalware\tBO2K\t1999\t\tsrc-d\t\t\t\t\t\thistorical\n"
    "65535\ttcp\tmalware\tRC1 trojan\t\t\tsrc-e\t\t\t\t\t\thistorical\n";

static const char template_aliases[] =
    "alias\tservice\tport\tproto\tmeaning\tsource\tsource_url\tsource_label\n"
    "SSH\tssh\t22\tboth\tSecure Shell\tsrc-f\thttps://example.org/f\tF\n"
    "X\tx11\t6001\ttcp\tX Window System\tsrc-g\thttps://example.org/g\tG\n"
    "cafe\tCaf\xc3\xa9\t65535\tudp\tCaf\xc3\xa9\tsrc-h\thttps://example.org/h\t\n";

static const char template_corrections[] =
    "port\tproto\tname\tcorrection\tsource\tsource_url\tsource_label\n"
    "31337\tudp\tBO2K\tNot that one.\tsrc-i\thttps://example.org/i\tI\n";

static uint8_t *template_blob;
static size_t template_len;

static void build_template(void)
{
        struct registry reg;
        struct reg_error err = {0};
        struct portdb db;
        void *blob;

        registry_init(&reg);
        if (registry_read_csv(&reg, template_csv, sizeof(template_csv) - 1, &err) < 0 ||
            unofficial_read_tsv(&reg, template_tsv, sizeof(template_tsv) - 1, &err) < 0 ||
            aliases_read_tsv(&reg, template_aliases, sizeof(template_aliases) - 1, &err) < 0 ||
            corrections_read_tsv(&reg, template_corrections, sizeof(template_corrections) - 1,
                                 &err) < 0 ||
            registry_build_blob(&reg, &blob, &template_len, &err) < 0) {
                fprintf(stderr, "fuzz-portdb-blob: template: line %lu: %s\n", err.line, err.msg);
                abort();
        }
        registry_done(&reg);
        template_blob = blob;
        FUZZ_CHECK(portdb_open(&db, template_blob, template_len, true) == 0);
}

/* Opens @len bytes at @buf (8-byte aligned, exactly @len long) and walks them if accepted. */
static void try_blob(const uint8_t *buf, size_t len)
{
        struct portdb db;

        if (portdb_open(&db, buf, len, true) == 0)
                fuzz_exercise_db(&db);
}

static uint32_t le32(const uint8_t *p)
{
        return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void try_script(const uint8_t *data, size_t size)
{
        struct portdb_header h;
        uint8_t flags, *buf;
        int16_t delta;
        size_t len, i;

        if (size < 3)
                return;
        flags = data[0];
        delta = (int16_t)(uint16_t)(data[1] | data[2] << 8);
        len = delta < 0 && (size_t)-delta > template_len ? 0 : template_len + (size_t)delta;
        buf = calloc(1, len ? len : 1);
        if (!buf)
                return;
        memcpy(buf, template_blob, len < template_len ? len : template_len);
        for (i = 3; i + 5 <= size && len > 0;) {
                uint32_t off = le32(data + i) % len;
                size_t n = data[i + 4];

                i += 5;
                if (n > size - i)
                        n = size - i;
                if (n > len - off)
                        n = len - off;
                memcpy(buf + off, data + i, n);
                i += n;
        }
        if (len >= sizeof(h)) {
                memcpy(&h, buf, sizeof(h));
                if (!(flags & 2))
                        h.size = (uint32_t)len;
                if (!(flags & 1))
                        h.checksum = portdb_checksum(buf + sizeof(h), len - sizeof(h));
                memcpy(buf, &h, sizeof(h));
        }
        try_blob(buf, len);
        free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        uint8_t *buf;

        if (!template_blob)
                build_template();

        /* malloc'ed memory is aligned for any type, as a mapped file is. */
        buf = malloc(size ? size : 1);
        if (!buf)
                return 0;
        memcpy(buf, data, size);
        try_blob(buf, size);
        free(buf);

        try_script(data, size);
        return 0;
}
