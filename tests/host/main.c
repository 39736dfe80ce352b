// SPDX-License-Identifier: MIT
/*
 * main() for every host test binary: runs the suites the binary registered,
 * as KTAP on stdout. Usage: test_foo [SELECTION] (default: all suites).
 * Exit status: 0 when every suite passed, 1 otherwise.
 */
#include <stdio.h>
#include "kernel/ktest.h"

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	return ktest_run_all(argc > 1 ? argv[1] : NULL) ? 1 : 0;
}
