/*
 * Declarations shared by the hawser-shim sources. Every .c file includes this first, so _GNU_SOURCE
 * (clone flags, setns, pipe2, ...) is defined before any system header.
 */
#ifndef HAWSER_SHIM_H
#define HAWSER_SHIM_H

#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

/* ---- spec.c: the container spec file written by the agent (format: see spec.c) ---- */

struct strlist {
	char **v; /* NULL-terminated, so args and env go straight to execve(2) */
	size_t n;
};

struct spec {
	char *buf; /* the file's bytes; every string below points into it */
	const char *rootfs, *cwd, *hostname, *log_path;
	const char *winsize; /* exec with tty=1: the agent's window size file (tty.c), opened before setns */
	struct strlist args, env, masked, readonly, cgroups;
	struct strlist mounts; /* mount= records, parsed by mounts.c */
	int readonly_rootfs;
	uid_t uid;
	gid_t gid;
	gid_t *gids;
	size_t ngids;
	int tty, stdin_open, no_new_privs;
	long long log_max_size; /* bytes; 0 = never rotate */
	int log_max_file;       /* files kept including the current one, >= 1 */
	int ns_flags;           /* CLONE_NEW* to create (run) or to join (exec) */
	uint64_t caps;          /* bit N set = keep capability N */
};

int spec_load(const char *path, struct spec *s, char *err, size_t errlen);
int spec_path_ok(const char *p); /* absolute, not "/", no empty/./.. component */

/* ---- util.c ---- */

int write_all(int fd, const void *buf, size_t len);
int write_file_atomic(const char *path, const char *content);
void format_time(const struct timespec *ts, char *out, size_t outlen); /* RFC 3339, 9-digit ns, UTC */
void log_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2))); /* to stderr (the shim log) */
int cloexec_from(int lowfd);
int proc_starttime(pid_t pid, unsigned long long *out); /* field 22 of /proc/<pid>/stat, clock ticks */

/* ---- jsonlog.c: Docker's json-file log driver ---- */

#define LOG_LINE_MAX 16384 /* as dockerd's copier: a longer line is split into partial records */

struct jsonlog {
	int fd;
	const char *path;
	long long size, max_size; /* size counts pending bytes too */
	int max_file;
	size_t pending; /* bytes of out[] not yet written: records of one read go out in one write(2) */
	char out[256 * 1024];
};

int jsonlog_open(struct jsonlog *l, const char *path, long long max_size, int max_file);
void jsonlog_write(struct jsonlog *l, const char *stream, const char *data, size_t len,
		   const struct timespec *ts);
void jsonlog_flush(struct jsonlog *l);

/* ---- attach.c: the attach socket (framing: see attach.c) ---- */

enum { STREAM_STDIN = 0, STREAM_STDOUT = 1, STREAM_STDERR = 2 };

#define ATTACH_MAX_CLIENTS 16
#define ATTACH_CLIENT_BUF (256 * 1024) /* a client further behind than this is disconnected */

struct attach_client {
	int fd; /* -1: free slot */
	int reading; /* 0 once the client shut down its writing side */
	char *buf;
	size_t len;
};

struct attach {
	int listen_fd;
	struct attach_client c[ATTACH_MAX_CLIENTS];
};

int attach_listen(struct attach *a, const char *path);
void attach_accept(struct attach *a);
void attach_send(struct attach *a, int stream, const char *data, size_t len);
void attach_flush(struct attach_client *c);
void attach_drop(struct attach_client *c, const char *why);

/* ---- container.c: what runs in the container's init (and in exec) before execve(2) ---- */

/* Report a failure to whoever waits on report_fd as "error <stage> <errno> <message>\n", then exit. */
void child_fail(int report_fd, const char *stage, int err, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 4, 5)));
void reset_process_attributes(int report_fd);
void setup_rootfs(const struct spec *s, int report_fd);
void drop_privileges(const struct spec *s, int report_fd);
void exec_command(const struct spec *s, int report_fd) __attribute__((noreturn));

/* ---- tty.c: ptys from the container's devpts, the master passed by SCM_RIGHTS, window size ---- */

#define WINSIZE_FILE "winsize" /* run: in the state directory; "<rows> <cols>\n", then SIGWINCH to the shim */

int tty_open_master(int *slave);
void tty_become_stdio(int slave, int report_fd);
int send_fd(int sock, int fd);
int recv_fd(int sock, int *fd);
void tty_apply_winsize(int master, int winsize_fd);
void tty_apply_winsize_file(int master, const char *path);

/* ---- mounts.c: -v, --mount, --tmpfs and --read-only (spec keys mount=, readonly_rootfs=) ---- */

void setup_user_mounts(const struct spec *s, int report_fd); /* before the masked paths and pivot_root */
void readonly_rootfs(const struct spec *s, int report_fd);    /* after pivot_root */

/* ---- run.c, exec.c: the subcommands ---- */

int cmd_run(int argc, char **argv);
int cmd_exec(int argc, char **argv);

#endif
