/*
 * hawser-shim exec <init-pid>[:<start-time>] <spec-file>: run a command inside a running container
 * (docker exec). With a start time (init.start, written by run.c) the pid must still be that process:
 * a pid reused by a host process or another container's init is refused rather than joined.
 *
 * The spec file has the format of spec.c; only arg, env, cwd, uid, gid, gids, cap, no_new_privs,
 * ns (the namespaces to join) and cgroup are used. The command inherits this process's stdio (the
 * caller's pipes). Our exit status is the command's, 128+N for signal N; a failure before the command
 * runs prints "error <stage> <errno> <message>" on stderr and exits 1 (setup), 126 or 127 (exec).
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* setns(2) order: the mount namespace last, since joining it changes what /proc/<pid> means to us. */
static const struct { const char *name; int flag; } namespaces[] = {
	{ "ipc", CLONE_NEWIPC }, { "uts", CLONE_NEWUTS }, { "net", CLONE_NEWNET },
	{ "pid", CLONE_NEWPID }, { "mnt", CLONE_NEWNS },
};
#define N_NS (sizeof(namespaces) / sizeof(namespaces[0]))

/*
 * pidfd_open(2) pins the process: if /proc/<pid>/stat still shows the recorded start time after it, the
 * pidfd is the container's init, and while pidfd_send_signal(pidfd, 0) succeeds it has not exited, so
 * its pid was not reused in between and the /proc/<pid>/ns files opened meanwhile are its own.
 */
static int pin_init(long pid, int has_start, unsigned long long start)
{
	unsigned long long now;
	int pidfd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
	if (pidfd < 0)
		child_fail(STDERR_FILENO, "setup", errno, "pidfd_open %ld", pid);
	if (has_start && (proc_starttime((pid_t)pid, &now) < 0 || now != start))
		child_fail(STDERR_FILENO, "setup", ESRCH, "process %ld is no longer the container's init", pid);
	return pidfd;
}

static void join(const struct spec *s, long pid, int pidfd)
{
	int fds[N_NS];
	char path[64];
	for (size_t i = 0; i < s->cgroups.n; i++) { /* "0" is the writer itself (cgroups(7)) */
		int fd = open(s->cgroups.v[i], O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write_all(fd, "0\n", 2) < 0)
			child_fail(STDERR_FILENO, "setup", errno, "join cgroup %s", s->cgroups.v[i]);
		close(fd);
	}
	for (size_t i = 0; i < N_NS; i++) { /* open all first: after setns(mnt) /proc is the container's */
		fds[i] = -1;
		if (!(s->ns_flags & namespaces[i].flag))
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/ns/%s", pid, namespaces[i].name);
		if ((fds[i] = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			child_fail(STDERR_FILENO, "setup", errno, "open %s", path);
	}
	if (syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) < 0)
		child_fail(STDERR_FILENO, "setup", errno, "the container's init %ld exited", pid);
	close(pidfd);
	for (size_t i = 0; i < N_NS; i++) {
		if (fds[i] >= 0 && setns(fds[i], namespaces[i].flag) < 0)
			child_fail(STDERR_FILENO, "setup", errno, "setns %s of %ld", namespaces[i].name, pid);
		if (fds[i] >= 0)
			close(fds[i]);
	}
}

int cmd_exec(int argc, char **argv)
{
	struct spec s;
	char err[600], *end;
	unsigned long long start = 0;
	if (argc != 3) {
		fprintf(stderr, "usage: hawser-shim exec <init-pid>[:<start-time>] <spec-file>\n");
		return EXIT_USAGE;
	}
	long pid = strtol(argv[1], &end, 10);
	int has_start = *end == ':', bad = *end && !has_start;
	if (has_start) {
		char *s_end;
		errno = 0;
		start = strtoull(end + 1, &s_end, 10);
		bad = errno || s_end == end + 1 || *s_end;
	}
	if (bad || pid <= 0) {
		fprintf(stderr, "hawser-shim: bad pid '%s'\n", argv[1]);
		return EXIT_USAGE;
	}
	/* Not dumpable from here to the command's execve (which resets it): once the child is in the
	 * container's pid namespace, its processes could otherwise open /proc/<pid>/exe, the host's shim
	 * binary (CVE-2019-5736), or ptrace it. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		perror("hawser-shim: prctl(PR_SET_DUMPABLE)");
		return EXIT_FAILED;
	}
	if (spec_load(argv[2], &s, err, sizeof(err)) < 0) {
		fprintf(stderr, "hawser-shim: %s\n", err);
		return EXIT_FAILED;
	}
	join(&s, pid, pin_init(pid, has_start, start));
	/* setns(2) of a pid namespace applies to children only: the command is forked to be inside. */
	pid_t child = fork();
	if (child < 0)
		child_fail(STDERR_FILENO, "setup", errno, "fork");
	if (child == 0) {
		reset_process_attributes(STDERR_FILENO);
		drop_privileges(&s, STDERR_FILENO);
		exec_command(&s, STDERR_FILENO);
	}
	int st;
	while (waitpid(child, &st, 0) < 0)
		if (errno != EINTR)
			return EXIT_FAILED;
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
}
