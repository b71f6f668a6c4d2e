/*
 * hawser-shim: the one small C program of the Hawser host agent.
 *
 * Why C at all: the JVM is multithreaded before main(), and a multithreaded process cannot safely
 * fork, unshare a pid or user namespace, or setns into a mount namespace. So the steps that need a
 * fresh single-threaded process live here, as runc keeps them in its C nsexec. Everything else
 * (what to run, where, with which limits, the state machine, the API) stays in Java.
 *
 * The agent ships this binary inside its jar and installs it as <data-root>/bin/hawser-shim
 * (io.hawser.agent.sys.ShimBinary).
 *
 * Built with -static (see host-agent/pom.xml) because:
 *  - the jar is built on one machine and run on many hosts; a static binary does not depend on the
 *    host's glibc version, so a newer build machine cannot produce a shim that fails to start;
 *  - the shim will later run steps right before and after pivot_root/setns into a container's mount
 *    namespace, where the host's shared libraries are not visible; with no dynamic loader there is
 *    nothing left to resolve lazily and LD_PRELOAD/LD_LIBRARY_PATH cannot reach it;
 *  - the cost is size (about 800 KB) and no NSS (getpwnam and friends), which the shim must not use
 *    anyway: user names are resolved against the container's /etc/passwd by the agent.
 *
 * main() is a small subcommand dispatcher:
 *   run <state-dir>             the per-container supervisor (run.c: detach, sync protocol, state files;
 *                               container.c: mounts, pivot_root, credentials, capabilities, execve;
 *                               jsonlog.c: the log; attach.c: live output and stdin)
 *   exec <init-pid> <spec-file> a command inside a running container's namespaces (exec.c)
 * The spec file format is described in spec.c; shared declarations are in shim.h.
 *
 * Exit codes: 0 success, 1 runtime failure, 2 usage error (as most Unix tools and Go's flag package).
 */
#include "shim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef HAWSER_SHIM_VERSION
#error "build with -DHAWSER_SHIM_VERSION=\"x.y.z\" (the Maven build passes the project version)"
#endif

struct command {
	const char *name;
	int (*run)(int argc, char **argv); /* argv[0] is the subcommand itself */
	const char *summary;
};

static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);

static const struct command commands[] = {
	{ "run", cmd_run, "<state-dir>: supervise a container described by <state-dir>/spec" },
	{ "exec", cmd_exec, "<init-pid> <spec-file>: run a command in a running container" },
	{ "--version", cmd_version, "print the shim's version and exit" },
	{ "--help", cmd_help, "print this help and exit" },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void print_usage(FILE *out)
{
	fprintf(out, "usage: hawser-shim <subcommand> [args...]\n\nsubcommands:\n");
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
}

/* A write error on stdout (closed pipe, full disk) must not look like success to the agent. */
static int finish_stdout(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("hawser-shim: write to stdout failed");
		return EXIT_FAILED;
	}
	return EXIT_OK;
}

static int cmd_version(int argc, char **argv)
{
	if (argc != 1) {
		fprintf(stderr, "hawser-shim: %s takes no arguments\n", argv[0]);
		return EXIT_USAGE;
	}
	printf("hawser-shim %s\n", HAWSER_SHIM_VERSION);
	return finish_stdout();
}

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	print_usage(stdout);
	return finish_stdout();
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "hawser-shim: missing subcommand\n");
		print_usage(stderr);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < N_COMMANDS; i++) {
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	}
	fprintf(stderr, "hawser-shim: unknown subcommand '%s'\n", argv[1]);
	print_usage(stderr);
	return EXIT_USAGE;
}
