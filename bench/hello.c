/* hello: the trivial C program that portinfo's start-up time and memory are measured against,
 * built dynamically and statically by bench/cli.sh and bench/memory.sh. */
#include <stdio.h>

int main(void)
{
        puts("hello, world");
        return 0;
}
