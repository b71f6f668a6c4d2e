/*
 * hawser-shim exec <init-pid>[:<start-time>] <spec-file>: run a command inside a running container
 * (docker exec). With a start time (init.start, written by run.c) the pid must still be that process:
 * a pid reused by a host process or another container's init is refused rather than joined.
 *
 * The spec file has the format of spec.c; only arg, env, cwd, uid, gid, gids, cap, no_new_privs,
 * ns (the namespaces to join), cgroup, tty and winsize are used. Without tty the command inherits this
 * process's stdio (the caller's pipes). With tty=1 the command gets a pty of the container's devpts
 * (tty.c) as its stdio and controlling terminal, and this process relays: our stdin to the master, the
 * master to our stdout; SIGWINCH makes it apply the winsize file. We call setsid(2) first, so signals to
 * the caller's process group (a Ctrl-C to an agent run in a terminal) never reach an exec.
 * Our exit status is the command's, 128+N for signal N; a failure before the command runs prints
 * "error <stage> <errno> <message>" on stderr and exits 1 (setup), 126 or 127 (exec), except for a
 * failure of the forked command itself (its user, working directory, execve), which prints dockerd's
 * "OCI runtime exec failed: ..." line on the command's output (stderr, or the terminal with tty=1).
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
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

/*
 * The cgroup.procs files are opened now, while the host's paths are reachable, and written by the forked
 * command ("0" is the writer itself, cgroups(7)): the command is in the container's cgroups, this relay is
 * not (it stays out of docker top and the pids limit, as runc's parent process does).
 */
static int *open_cgroups(const struct spec *s)
{
	int *fds = calloc(s->cgroups.n + 1, sizeof(int));
	if (!fds)
		child_fail(STDERR_FILENO, "setup", ENOMEM, "cgroups");
	for (size_t i = 0; i < s->cgroups.n; i++)
		if ((fds[i] = open(s->cgroups.v[i], O_WRONLY | O_CLOEXEC)) < 0)
			child_fail(STDERR_FILENO, "setup", errno, "open cgroup %s", s->cgroups.v[i]);
	return fds;
}

static void join_cgroups(const struct spec *s, const int *fds, int report_fd)
{
	for (size_t i = 0; i < s->cgroups.n; i++)
		if (write_all(fds[i], "0\n", 2) < 0)
			child_fail(report_fd, "setup", errno, "join cgroup %s", s->cgroups.v[i]);
}

static void join(const struct spec *s, long pid, int pidfd)
{
	int fds[N_NS];
	char path[64];
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

/*
 * The child's report pipe is close-on-exec: EOF with nothing read means execve succeeded. A failure line
 * ("error <stage> <errno> <message>") is shown as dockerd shows a failed exec (its runc error), on the
 * command's own output, since the API has already switched the client to the raw stream by now.
 */
static void report_failure(int fd, int out, int tty)
{
	char line[1200];
	size_t n = 0;
	for (ssize_t r; n + 1 < sizeof(line) && (r = read(fd, line + n, sizeof(line) - 1 - n)) != 0;)
		if (r > 0)
			n += (size_t)r;
		else if (errno != EINTR)
			break;
	close(fd);
	if (n == 0)
		return;
	line[n] = '\0';
	line[strcspn(line, "\n")] = '\0';
	const char *msg = line;
	for (int field = 0; field < 3 && msg; field++) /* skip "error <stage> <errno> " */
		if ((msg = strchr(msg, ' ')) != NULL)
			msg++;
	dprintf(out, "OCI runtime exec failed: exec failed: unable to start container process: %s: unknown%s",
		msg ? msg : line, tty ? "\r\n" : "\n");
}

/* tty: our stdin to the master, the master to our stdout, until the terminal is gone (see tty.c). */
static void relay(int master, int sigfd, int winsize, pid_t child)
{
	char in[4096], out[16384];
	size_t in_len = 0;
	int in_open = 1, child_done = 0;
	for (;;) {
		struct pollfd p[3] = {
			{ .fd = sigfd, .events = POLLIN },
			{ .fd = master, .events = POLLIN | (in_len ? POLLOUT : 0) },
			{ .fd = in_open && !in_len ? STDIN_FILENO : -1, .events = POLLIN },
		};
		/* Once the command is gone, output still in the pty is read; a descendant keeping the slave open
		 * (a background job) does not hold the exec up beyond a quiet moment, as run.c does for the init. */
		int ready = poll(p, 3, child_done ? 200 : -1);
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready <= 0)
			return;
		if (p[0].revents) {
			struct signalfd_siginfo si;
			while (read(sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
				if (si.ssi_signo == SIGWINCH)
					tty_apply_winsize(master, winsize);
				else if (si.ssi_signo == SIGCHLD && waitpid(child, NULL, WNOHANG | WNOWAIT) == child)
					child_done = 1;
			}
		}
		if (p[1].revents & POLLIN) {
			ssize_t n = read(master, out, sizeof(out));
			if (n <= 0 && !(n < 0 && (errno == EINTR || errno == EAGAIN)))
				return; /* EIO: the last slave descriptor closed */
			if (n > 0 && write_all(STDOUT_FILENO, out, (size_t)n) < 0)
				return; /* the agent is gone: nobody reads the terminal any more */
		} else if (p[1].revents & (POLLHUP | POLLERR)) {
			return;
		}
		if ((p[1].revents & POLLOUT) && in_len) {
			ssize_t n = write(master, in, in_len);
			if (n > 0) {
				memmove(in, in + n, in_len - (size_t)n);
				in_len -= (size_t)n;
			}
		}
		if (p[2].revents) {
			ssize_t n = read(STDIN_FILENO, in, sizeof(in));
			if (n > 0)
				in_len = (size_t)n;
			else if (!(n < 0 && errno == EINTR))
				in_open = 0; /* the client's stdin ended; the terminal stays, as with dockerd */
		}
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
	setsid(); /* fails only for a group leader, which a process just started by the agent is not */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGCHLD);
	sigaddset(&sigs, SIGWINCH);
	int winsize = -1, sigfd = -1, master = -1, slave = -1, report[2];
	if (s.tty) { /* before the agent's first resize can come: a blocked SIGWINCH waits for the signalfd */
		if (sigprocmask(SIG_BLOCK, &sigs, NULL) < 0 || (sigfd = signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK)) < 0)
			child_fail(STDERR_FILENO, "setup", errno, "signalfd");
		if (s.winsize) /* the agent's file, reachable only before we join the container's mount namespace */
			winsize = open(s.winsize, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	}
	int *cgroup_fds = open_cgroups(&s);
	join(&s, pid, pin_init(pid, has_start, start));
	if (s.tty) {
		if ((master = tty_open_master(&slave)) < 0)
			child_fail(STDERR_FILENO, "setup", errno, "open a pty in the container's /dev/pts/ptmx");
		tty_apply_winsize(master, winsize);
		if (fcntl(master, F_SETFL, O_NONBLOCK) < 0) /* a command not reading its input cannot block the relay */
			child_fail(STDERR_FILENO, "setup", errno, "pty master O_NONBLOCK");
	}
	if (pipe2(report, O_CLOEXEC) < 0)
		child_fail(STDERR_FILENO, "setup", errno, "pipe");
	/* setns(2) of a pid namespace applies to children only: the command is forked to be inside. */
	pid_t child = fork();
	if (child < 0)
		child_fail(STDERR_FILENO, "setup", errno, "fork");
	if (child == 0) {
		close(report[0]);
		join_cgroups(&s, cgroup_fds, report[1]);
		reset_process_attributes(report[1]);
		if (s.tty) {
			if (setsid() < 0)
				child_fail(report[1], "setup", errno, "setsid");
			tty_become_stdio(slave, report[1]);
		}
		drop_privileges(&s, report[1]);
		exec_command(&s, report[1]);
	}
	close(report[1]);
	if (slave >= 0)
		close(slave);
	report_failure(report[0], s.tty ? STDOUT_FILENO : STDERR_FILENO, s.tty);
	if (s.tty)
		relay(master, sigfd, winsize, child);
	int st;
	while (waitpid(child, &st, 0) < 0)
		if (errno != EINTR)
			return EXIT_FAILED;
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
}
