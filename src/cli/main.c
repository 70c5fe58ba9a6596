/* portinfo: what is port N?  Everything happens in cli.c; this file is the entry point only. */
#include "cli.h"

int main(int argc, char **argv)
{
        return cli_main(argc, argv);
}
