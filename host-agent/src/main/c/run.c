/*
 * hawser-shim run <state-dir>: the per-container supervisor.
 *
 * The agent writes <state-dir>/spec (spec.c), listens on <state-dir>/sync.sock and starts us. We
 * connect to sync.sock, detach (the process the agent started exits 0 at once, or 1 with a message on
 * stderr if the spec is unusable), clone the container's init into its namespaces and talk over the
 * sync socket, one line per message:
 *
 *   shim -> agent   pid <init pid, host pid namespace>
 *   agent -> shim   go                 (after putting the pid into cgroups, wiring the network...)
 *   shim -> agent   started            (execve succeeded)
 *               or  error <stage> <errno> <message>   (stage: setup = before exec, exec = execve)
 *
 * Anything but "go" (or EOF) aborts: the init is killed before it ran anything of the container's.
 * State files in <state-dir>, each written to a temp file and renamed:
 *   shim.pid   the shim's pid ("<pid>\n"), written right after detaching
 *   init.pid   the init's pid ("<pid>\n"), written before "pid" is sent
 *   init.start its start time (/proc/<pid>/stat field 22, "<ticks>\n"), so exec can tell a reused pid
 *   exit       "code=<n>\nsignal=<n>\ntime=<RFC 3339>\n" once the init is gone and its output is in
 *              the log; code is 128+N for signal N, as dockerd reports
 *   shim.log   the shim's own diagnostics (its stderr)
 * After the exit file the shim closes the sync connection (the agent's exit notice: EOF), then the attach
 * socket, and exits.
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

struct outstream {
	int fd;
	const char *name;
	int tag;
	size_t len;
	char buf[LOG_LINE_MAX];
};

struct stdio_fds {
	int child[3];  /* what becomes the init's 0, 1, 2 */
	int in_w;      /* our end of its stdin, -1 when closed */
	int out_r, err_r;
};

struct shim {
	const struct spec *spec;
	pid_t init;
	int init_status, init_done;
	struct stdio_fds io;
	struct outstream out[2];
	struct jsonlog log;
	struct attach attach;
	char in_buf[65536]; /* stdin bytes read from a client, not yet taken by the container */
	size_t in_len;
	int in_close; /* close the container's stdin once in_buf is drained */
};

static int connect_sync(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		return -1;
	return fd;
}

/*
 * Double fork with setsid(2) in between: the process the agent started exits at once, the shim is
 * re-parented to init (or a subreaper) and has no controlling terminal, so neither the agent's exit
 * nor its session's hangup reaches the container. Returns only in the shim.
 */
static void detach(void)
{
	pid_t p = fork();
	if (p < 0) {
		perror("hawser-shim: fork");
		exit(EXIT_FAILED);
	}
	if (p > 0) {
		int st = 0;
		while (waitpid(p, &st, 0) < 0 && errno == EINTR)
			;
		_exit(WIFEXITED(st) ? WEXITSTATUS(st) : EXIT_FAILED);
	}
	if (setsid() < 0 || (p = fork()) < 0)
		_exit(EXIT_FAILED);
	if (p > 0)
		_exit(EXIT_OK);
}

static int open_stdio(const struct spec *s, struct stdio_fds *io)
{
	int out[2], err[2], in[2];
	io->in_w = io->err_r = -1;
	if (s->tty) { /* pty(7): the init opens it in the container's devpts and sends us the master (tty.c) */
		io->child[0] = io->child[1] = io->child[2] = -1;
		io->out_r = -1;
		return 0;
	}
	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0)
		return -1;
	io->out_r = out[0], io->child[1] = out[1];
	io->err_r = err[0], io->child[2] = err[1];
	if (s->stdin_open) {
		if (pipe2(in, O_CLOEXEC) < 0)
			return -1;
		io->child[0] = in[0], io->in_w = in[1];
		return fcntl(io->in_w, F_SETFL, O_NONBLOCK);
	}
	io->child[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
	return io->child[0] < 0 ? -1 : 0;
}

/* The init, between clone(2) and execve(2). Never returns. */
static void init_main(const struct spec *s, int sync_fd, const struct stdio_fds *io)
{
	char go;
	reset_process_attributes(sync_fd); /* signal masks and ignored signals survive execve(2) */
	umask(022); /* runc's default; the agent's umask is not the container's business */
	if (read(sync_fd, &go, 1) != 1 || go != 'g')
		_exit(EXIT_FAILED); /* the shim gave up: run nothing */
	if (setsid() < 0)
		child_fail(sync_fd, "setup", errno, "setsid");
	for (int i = 0; i < 3 && !s->tty; i++)
		if (dup2(io->child[i], i) < 0)
			child_fail(sync_fd, "setup", errno, "dup2 stdio %d", i);
	setup_rootfs(s, sync_fd);
	if (s->tty) { /* after pivot_root: /dev/pts is the container's own devpts instance */
		int slave, master = tty_open_master(&slave);
		if (master < 0)
			child_fail(sync_fd, "setup", errno, "open a pty in the container's /dev/pts/ptmx");
		tty_become_stdio(slave, sync_fd);
		if (send_fd(sync_fd, master) < 0)
			child_fail(sync_fd, "setup", errno, "pass the pty master to the shim");
		close(master);
	}
	drop_privileges(s, sync_fd);
	exec_command(s, sync_fd);
}

static int read_line(int fd, char *buf, size_t len)
{
	size_t n = 0;
	while (n + 1 < len) {
		ssize_t r = read(fd, buf + n, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (buf[n++] == '\n')
			break;
	}
	buf[n] = '\0';
	return (int)n;
}

/*
 * With a tty: the init's first message after "g" is the pty master (tty.c), or the start of an error line.
 * Returns 0 with the master installed as the container's output (and stdin), the length of an error line
 * read into line, or -1 for EOF.
 */
static int receive_pty(struct shim *sh, int sock, char *line, size_t len)
{
	int master, c = recv_fd(sock, &master);
	if (c < 0)
		return -1;
	if (c != 't' || master < 0) {
		line[0] = (char)c;
		return 1 + read_line(sock, line + 1, len - 1);
	}
	sh->io.out_r = master;
	sh->io.in_w = sh->spec->stdin_open ? master : -1;
	sh->out[0].fd = master;
	if (fcntl(master, F_SETFL, O_NONBLOCK) < 0)
		log_msg("pty master O_NONBLOCK: %s", strerror(errno));
	tty_apply_winsize_file(master, WINSIZE_FILE); /* a size the agent sent before the pty existed */
	return 0;
}

/* clone(2) the init into new namespaces, hand its pid to the agent and run the go/started exchange. */
static int start_init(struct shim *sh, int agent)
{
	int sp[2];
	char line[1200];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) < 0)
		return -1;
	/* Like fork(2), but the child starts in the new namespaces; CLONE_NEWPID makes it pid 1 there. */
	pid_t pid = (pid_t)syscall(SYS_clone, (unsigned long)sh->spec->ns_flags | SIGCHLD, NULL, NULL, NULL, NULL);
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(sp[0]);
		init_main(sh->spec, sp[1], &sh->io);
	}
	sh->init = pid;
	close(sp[1]);
	for (int i = 0; i < 3; i++)
		if (sh->io.child[i] >= 0 && (i == 0 || sh->io.child[i] != sh->io.child[i - 1]))
			close(sh->io.child[i]);
	snprintf(line, sizeof(line), "%d\n", (int)pid);
	if (write_file_atomic("init.pid", line) < 0)
		log_msg("write init.pid: %s", strerror(errno));
	/* Our unreaped child: the pid cannot be reused yet, so this start time is the init's (exec checks it). */
	unsigned long long start;
	if (proc_starttime(pid, &start) == 0) {
		snprintf(line, sizeof(line), "%llu\n", start);
		if (write_file_atomic("init.start", line) < 0)
			log_msg("write init.start: %s", strerror(errno));
	}
	dprintf(agent, "pid %d\n", (int)pid);
	if (read_line(agent, line, sizeof(line)) == 0 || strcmp(line, "go\n") != 0) {
		log_msg("the agent did not say go (%s): killing init %d", line[0] ? line : "EOF", (int)pid);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		unlink("init.pid");
		errno = ECANCELED;
		return -1;
	}
	if (write_all(sp[0], "g", 1) < 0)
		return -1;
	int n = 0;
	if (sh->spec->tty && (n = receive_pty(sh, sp[0], line, sizeof(line))) < 0)
		n = snprintf(line, sizeof(line), "error setup %d the init sent no pty\n", EPROTO);
	/* The init's end is close-on-exec: EOF with nothing read means execve succeeded. */
	if (n == 0)
		n = read_line(sp[0], line, sizeof(line));
	close(sp[0]);
	if (n > 0)
		log_msg("init failed: %.*s", n - 1, line);
	dprintf(agent, "%s", n > 0 ? line : "started\n");
	return 0;
}

static void emit(struct shim *sh, struct outstream *o, size_t len, const struct timespec *ts)
{
	jsonlog_write(&sh->log, o->name, o->buf, len, ts);
	memmove(o->buf, o->buf + len, o->len - len);
	o->len -= len;
}

static void on_output(struct shim *sh, struct outstream *o)
{
	struct timespec ts;
	ssize_t n = read(o->fd, o->buf + o->len, sizeof(o->buf) - o->len);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (n <= 0) { /* EOF; EIO from a pty master once the last slave closed */
		if (o->len > 0)
			emit(sh, o, o->len, &ts);
		jsonlog_flush(&sh->log);
		if (o->fd != sh->io.in_w)
			close(o->fd);
		o->fd = -1;
		return;
	}
	attach_send(&sh->attach, o->tag, o->buf + o->len, (size_t)n);
	size_t start = o->len;
	o->len += (size_t)n;
	for (char *nl; (nl = memchr(o->buf + start, '\n', o->len - start)) != NULL; start = 0)
		emit(sh, o, (size_t)(nl - o->buf) + 1, &ts);
	if (o->len == sizeof(o->buf)) /* a line longer than the buffer: a partial record */
		emit(sh, o, o->len, &ts);
	jsonlog_flush(&sh->log);
}

static void close_stdin(struct shim *sh)
{
	if (sh->io.in_w >= 0 && !sh->spec->tty)
		close(sh->io.in_w);
	if (!sh->spec->tty)
		sh->io.in_w = -1;
	sh->in_len = 0;
	sh->in_close = 0;
}

static void flush_stdin(struct shim *sh)
{
	while (sh->in_len > 0 && sh->io.in_w >= 0) {
		ssize_t n = write(sh->io.in_w, sh->in_buf, sh->in_len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n < 0) { /* EPIPE: the container closed its stdin */
			close_stdin(sh);
			return;
		}
		memmove(sh->in_buf, sh->in_buf + n, sh->in_len - (size_t)n);
		sh->in_len -= (size_t)n;
	}
	if (sh->in_close)
		close_stdin(sh);
}

static void on_client_input(struct shim *sh, struct attach_client *c)
{
	ssize_t n = read(c->fd, sh->in_buf + sh->in_len, sizeof(sh->in_buf) - sh->in_len);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		c->reading = 0;
		if (sh->io.in_w >= 0)
			sh->in_close = 1;
	} else if (sh->io.in_w >= 0) {
		sh->in_len += (size_t)n;
	}
	flush_stdin(sh);
}

static void reap(struct shim *sh, int sigfd)
{
	struct signalfd_siginfo si;
	int st;
	pid_t p;
	while (read(sigfd, &si, sizeof(si)) > 0)
		if (si.ssi_signo == SIGWINCH && sh->spec->tty)
			tty_apply_winsize_file(sh->out[0].fd, WINSIZE_FILE); /* the agent wrote a new size (tty.c) */
	/* As a subreaper we also collect orphans; only the init's status matters. */
	while ((p = waitpid(-1, &st, WNOHANG)) > 0) {
		if (p == sh->init) {
			sh->init_status = st;
			sh->init_done = 1;
		}
	}
}

/* poll(2) loop: output to log and clients, clients' stdin to the container, until the init is gone. */
static void supervise(struct shim *sh, int sigfd)
{
	struct pollfd pfd[5 + ATTACH_MAX_CLIENTS];
	for (;;) {
		int quiet_after_exit = sh->init_done ? 500 : -1; /* ms */
		if (sh->init_done && sh->out[0].fd < 0 && sh->out[1].fd < 0)
			return;
		int n = 0;
		pfd[n++] = (struct pollfd){ .fd = sigfd, .events = POLLIN };
		pfd[n++] = (struct pollfd){ .fd = sh->attach.listen_fd, .events = POLLIN };
		pfd[n++] = (struct pollfd){ .fd = sh->out[0].fd, .events = POLLIN };
		pfd[n++] = (struct pollfd){ .fd = sh->out[1].fd, .events = POLLIN };
		pfd[n++] = (struct pollfd){ .fd = sh->in_len ? sh->io.in_w : -1, .events = POLLOUT };
		for (int i = 0; i < ATTACH_MAX_CLIENTS; i++) {
			struct attach_client *c = &sh->attach.c[i];
			short ev = (c->len ? POLLOUT : 0) | (c->reading && sh->in_len == 0 ? POLLIN : 0);
			pfd[n++] = (struct pollfd){ .fd = c->fd >= 0 && ev ? c->fd : -1, .events = ev };
		}
		int ready = poll(pfd, (nfds_t)n, quiet_after_exit);
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready <= 0) /* the init is gone and nothing more came: a descendant outside a pid namespace */
			return;
		if (pfd[0].revents)
			reap(sh, sigfd);
		if (pfd[1].revents) /* before output, so a client connected before "go" sees the first byte */
			attach_accept(&sh->attach);
		for (int i = 0; i < 2; i++)
			if (pfd[2 + i].revents)
				on_output(sh, &sh->out[i]);
		if (pfd[4].revents)
			flush_stdin(sh);
		for (int i = 0; i < ATTACH_MAX_CLIENTS; i++) {
			struct attach_client *c = &sh->attach.c[i];
			short rev = pfd[5 + i].revents;
			if (c->fd < 0 || rev == 0 || pfd[5 + i].fd != c->fd)
				continue;
			if (rev & POLLOUT)
				attach_flush(c);
			if (c->fd >= 0 && (rev & (POLLIN | POLLHUP | POLLERR)))
				on_client_input(sh, c);
			if (c->fd >= 0 && !c->reading && (rev & (POLLHUP | POLLERR)))
				attach_drop(c, NULL);
		}
	}
}

static void write_exit(const struct shim *sh)
{
	struct timespec now;
	char when[40], content[128];
	int st = sh->init_status, sig = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
	int code = sh->init_done ? (sig ? 128 + sig : WEXITSTATUS(st)) : 255;
	clock_gettime(CLOCK_REALTIME, &now);
	format_time(&now, when, sizeof(when));
	snprintf(content, sizeof(content), "code=%d\nsignal=%d\ntime=%s\n", code, sig, when);
	if (write_file_atomic("exit", content) < 0)
		log_msg("write exit: %s", strerror(errno));
}

static const char *step = "start"; /* what failed, for the agent's error line */

static int setup(struct shim *sh, int *sigfd)
{
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigaddset(&chld, SIGWINCH); /* the agent's resize notice (tty.c) */
	signal(SIGPIPE, SIG_IGN); /* a vanished client or reader is an error code, not our death */
	/* prctl(2): orphans of the container (without a pid namespace) are re-parented to us, not init. */
	step = "become a subreaper and watch SIGCHLD";
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0 || sigprocmask(SIG_BLOCK, &chld, NULL) < 0)
		return -1;
	if ((*sigfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK)) < 0)
		return -1;
	step = sh->spec->tty ? "open a pty" : "create stdio pipes";
	if (open_stdio(sh->spec, &sh->io) < 0)
		return -1;
	step = "open the log file";
	if (jsonlog_open(&sh->log, sh->spec->log_path, sh->spec->log_max_size, sh->spec->log_max_file) < 0)
		return -1;
	step = "listen on attach.sock";
	if (attach_listen(&sh->attach, "attach.sock") < 0)
		return -1;
	step = "start the init";
	sh->out[0] = (struct outstream){ .fd = sh->io.out_r, .name = "stdout", .tag = STREAM_STDOUT };
	sh->out[1] = (struct outstream){ .fd = sh->io.err_r, .name = "stderr", .tag = STREAM_STDERR };
	return 0;
}

/* The shim's own stdio: nothing from the agent's pipes may keep them open, diagnostics go to shim.log. */
static void redirect_stdio(void)
{
	int null = open("/dev/null", O_RDWR);
	int log = open("shim.log", O_WRONLY | O_APPEND | O_CREAT, 0640);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(log >= 0 ? log : null, 2);
	}
	if (null > 2)
		close(null);
	if (log > 2)
		close(log);
}

int cmd_run(int argc, char **argv)
{
	static struct shim sh; /* static: the per-stream buffers are not for the stack */
	struct spec spec;
	char err[600], pid[32];
	int sigfd;
	if (argc != 2) {
		fprintf(stderr, "usage: hawser-shim run <state-dir>\n");
		return EXIT_USAGE;
	}
	close_range(3, ~0U, 0); /* nothing the caller leaked may reach the container */
	/* prctl(2): until the init's execve (which resets it) no process can ptrace us or open /proc/<pid>/exe,
	 * the host's shim binary (CVE-2019-5736); a container sharing the host pid namespace could otherwise. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		perror("hawser-shim: prctl(PR_SET_DUMPABLE)");
		return EXIT_FAILED;
	}
	if (chdir(argv[1]) < 0) { /* every state file is relative: no sun_path length limit for us */
		fprintf(stderr, "hawser-shim: state directory %s: %s\n", argv[1], strerror(errno));
		return EXIT_FAILED;
	}
	if (spec_load("spec", &spec, err, sizeof(err)) < 0 || !spec.log_path) {
		fprintf(stderr, "hawser-shim: %s\n", spec.log_path ? err : "spec has no log record");
		return EXIT_FAILED;
	}
	int agent = connect_sync("sync.sock");
	if (agent < 0) {
		fprintf(stderr, "hawser-shim: connect to %s/sync.sock: %s\n", argv[1], strerror(errno));
		return EXIT_FAILED;
	}
	detach();
	redirect_stdio();
	snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	sh.spec = &spec;
	unlink(WINSIZE_FILE); /* a size from a previous run of the container is not this terminal's */
	step = "write shim.pid";
	if (write_file_atomic("shim.pid", pid) < 0 || setup(&sh, &sigfd) < 0 || start_init(&sh, agent) < 0) {
		int e = errno;
		log_msg("%s failed: %s", step, strerror(e));
		dprintf(agent, "error setup %d %s: %s\n", e, step, strerror(e));
		return EXIT_FAILED;
	}
	/* agent stays open (close-on-exec, so the container never holds it) until the exit file is written:
	 * its EOF is how the agent that launched us learns of the exit at once, without polling. */
	supervise(&sh, sigfd);
	write_exit(&sh);
	close(agent);
	unlink("attach.sock");
	for (int i = 0; i < ATTACH_MAX_CLIENTS; i++) /* a last try for clients, then they read the log */
		if (sh.attach.c[i].fd >= 0)
			attach_flush(&sh.attach.c[i]);
	return EXIT_OK;
}
