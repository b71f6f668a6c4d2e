/*
 * What happens inside the container's init (and an exec'd process) between clone/setns and execve:
 * the root filesystem, credentials, capabilities, no_new_privs, the command lookup. Every failure is
 * reported on report_fd as one line "error <stage> <errno> <message>\n" (stage: setup or exec) and the
 * process exits; run.c relays the line to the agent.
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <grp.h>
#include <signal.h>

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

void child_fail(int report_fd, const char *stage, int err, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (char *p = msg; *p; p++)
		if (*p == '\n')
			*p = ' '; /* one line per report */
	dprintf(report_fd, "error %s %d %s: %s\n", stage, err, msg, strerror(err));
	/* 127 and 126 as a shell reports them (and dockerd for a container that cannot start). */
	_exit(strcmp(stage, "exec") ? 1 : (err == ENOENT || err == ENOTDIR) ? 127 : 126);
}

/*
 * What a container must not inherit from the agent through the shim (signal(7), proc(5), getrlimit(2)):
 * blocked and ignored signals survive execve, so every disposition goes back to SIG_DFL and the mask is
 * emptied; oom_score_adj is set to 0 (dockerd's default: a daemon started with -500 or -1000 would
 * otherwise shield its containers from the OOM killer); RLIMIT_NOFILE is what dockerd's containers get
 * (1048576 soft and hard, capped by fs.nr_open). The other rlimits are the host's defaults already.
 */
void reset_process_attributes(int fd)
{
	sigset_t none;
	sigemptyset(&none);
	/* The raw syscall: glibc's sigaction refuses the two real-time signals it reserves (32, 33), which a
	 * JVM or a Go program may have left ignored. */
	struct { void *handler; unsigned long flags; void *restorer; uint64_t mask; } dfl = { SIG_DFL, 0, NULL, 0 };
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof(dfl.mask));
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
		child_fail(fd, "setup", errno, "reset the signal mask");
	int oom = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	if (oom < 0 || write_all(oom, "0\n", 2) < 0)
		child_fail(fd, "setup", errno, "set oom_score_adj to 0");
	close(oom);
	struct rlimit nofile = { 1048576, 1048576 };
	if (setrlimit(RLIMIT_NOFILE, &nofile) < 0 && errno != EPERM) /* EPERM: fs.nr_open is lower; keep ours */
		child_fail(fd, "setup", errno, "setrlimit(RLIMIT_NOFILE)");
}

/*
 * rootfs + rel, refusing a symlink anywhere on the way: the rootfs comes from an image, and a symlink
 * named "proc" pointing at /etc would otherwise put our mount on the host's /etc (runc uses
 * securejoin for the same reason). Missing directories are created when create is set.
 */
static void target_path(const char *rootfs, const char *rel, int create, char *out, size_t outlen, int fd)
{
	if (!spec_path_ok(rel))
		child_fail(fd, "setup", EINVAL, "path '%s' is not absolute and normalized", rel);
	if (snprintf(out, outlen, "%s%s", rootfs, rel) >= (int)outlen)
		child_fail(fd, "setup", ENAMETOOLONG, "path %s%s", rootfs, rel);
	for (char *p = out + strlen(rootfs) + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		struct stat st;
		if (lstat(out, &st) < 0) {
			if (errno != ENOENT || !create || mkdir(out, 0755) < 0)
				child_fail(fd, "setup", errno, "prepare %s", out);
		} else if (S_ISLNK(st.st_mode)) {
			child_fail(fd, "setup", ELOOP, "refusing to mount on %s, a symlink", out);
		}
		*p = saved;
		if (saved == '\0')
			return;
	}
}

static void do_mount(int fd, const char *src, const char *dst, const char *type, unsigned long flags,
		     const char *data)
{
	if (mount(src, dst, type, flags, data) < 0)
		child_fail(fd, "setup", errno, "mount %s on %s (%s)", src ? src : "-", dst, type ? type : "bind");
}

static void mount_in(const struct spec *s, int fd, const char *type, const char *rel, unsigned long flags,
		     const char *data)
{
	char path[4096];
	target_path(s->rootfs, rel, 1, path, sizeof(path), fd);
	do_mount(fd, type, path, type, flags, data);
}

/* Bind path onto itself, then remount read-only keeping its other flags (mount(2): MS_REMOUNT|MS_BIND). */
static void make_readonly(int fd, const char *path)
{
	struct statvfs sv;
	do_mount(fd, path, path, NULL, MS_BIND | MS_REC, NULL);
	if (statvfs(path, &sv) < 0)
		child_fail(fd, "setup", errno, "statvfs %s", path);
	unsigned long keep = sv.f_flag & (ST_NOSUID | ST_NODEV | ST_NOEXEC | ST_NOATIME | ST_NODIRATIME | ST_RELATIME);
	do_mount(fd, NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | keep, NULL);
}

/* /dev: a tmpfs with the few devices Docker gives every container (mknod(2), devices(7) numbers). */
static void setup_dev(const struct spec *s, int fd)
{
	static const struct { const char *name; unsigned maj, min; } devs[] = {
		{ "null", 1, 3 }, { "zero", 1, 5 }, { "full", 1, 7 },
		{ "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 },
	};
	static const char *links[][2] = {
		{ "/proc/self/fd", "fd" }, { "/proc/self/fd/0", "stdin" }, { "/proc/self/fd/1", "stdout" },
		{ "/proc/self/fd/2", "stderr" }, { "pts/ptmx", "ptmx" },
	};
	char path[4096];
	mount_in(s, fd, "tmpfs", "/dev", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k");
	for (size_t i = 0; i < sizeof(devs) / sizeof(devs[0]); i++) {
		snprintf(path, sizeof(path), "%s/dev/%s", s->rootfs, devs[i].name);
		if (mknod(path, S_IFCHR | 0666, makedev(devs[i].maj, devs[i].min)) < 0 || chmod(path, 0666) < 0)
			child_fail(fd, "setup", errno, "mknod %s", path);
	}
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		snprintf(path, sizeof(path), "%s/dev/%s", s->rootfs, links[i][1]);
		if (symlink(links[i][0], path) < 0)
			child_fail(fd, "setup", errno, "symlink %s", path);
	}
	mount_in(s, fd, "devpts", "/dev/pts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620,gid=5");
	mount_in(s, fd, "tmpfs", "/dev/shm", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=65536k");
	if (s->ns_flags & CLONE_NEWIPC) /* a POSIX mqueue fs belongs to an ipc namespace */
		mount_in(s, fd, "mqueue", "/dev/mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
}

/* Docker's masked paths: /dev/null over files, an empty read-only tmpfs over directories. */
static void mask_paths(const struct spec *s, int fd)
{
	char path[4096], devnull[4096];
	snprintf(devnull, sizeof(devnull), "%s/dev/null", s->rootfs);
	for (size_t i = 0; i < s->masked.n; i++) {
		struct stat st;
		snprintf(path, sizeof(path), "%s%s", s->rootfs, s->masked.v[i]);
		if (lstat(path, &st) < 0 && errno == ENOENT)
			continue; /* not on this kernel: nothing to hide */
		target_path(s->rootfs, s->masked.v[i], 0, path, sizeof(path), fd);
		if (S_ISDIR(st.st_mode))
			do_mount(fd, "tmpfs", path, "tmpfs", MS_RDONLY, NULL);
		else
			do_mount(fd, devnull, path, NULL, MS_BIND, NULL);
	}
	for (size_t i = 0; i < s->readonly.n; i++) {
		struct stat st;
		snprintf(path, sizeof(path), "%s%s", s->rootfs, s->readonly.v[i]);
		if (lstat(path, &st) < 0 && errno == ENOENT)
			continue;
		target_path(s->rootfs, s->readonly.v[i], 0, path, sizeof(path), fd);
		make_readonly(fd, path);
	}
}

/*
 * pivot_root(2) with new_root == put_old ("." twice, as runc does): the old root ends up stacked under
 * the new one; made a slave so the detach below cannot propagate to the host, then lazily unmounted.
 */
static void pivot(const struct spec *s, int fd)
{
	if (chdir(s->rootfs) < 0)
		child_fail(fd, "setup", errno, "chdir %s", s->rootfs);
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		child_fail(fd, "setup", errno, "pivot_root %s", s->rootfs);
	do_mount(fd, NULL, ".", NULL, MS_SLAVE | MS_REC, NULL);
	if (umount2(".", MNT_DETACH) < 0)
		child_fail(fd, "setup", errno, "umount old root");
	if (chdir("/") < 0)
		child_fail(fd, "setup", errno, "chdir /");
}

void setup_rootfs(const struct spec *s, int fd)
{
	if (!(s->ns_flags & CLONE_NEWNS) || !s->rootfs)
		child_fail(fd, "setup", EINVAL, "a container needs ns=mnt and a rootfs");
	/* mount_namespaces(7): nothing we mount may propagate back to the host. */
	do_mount(fd, NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	do_mount(fd, s->rootfs, s->rootfs, NULL, MS_BIND | MS_REC, NULL); /* pivot_root needs a mount point */
	mount_in(s, fd, "proc", "/proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	setup_dev(s, fd);
	/* Fresh and read-only; as root of the initial user namespace sysfs mounts in any net namespace. */
	mount_in(s, fd, "sysfs", "/sys", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, NULL);
	setup_user_mounts(s, fd); /* mounts.c: -v, --mount, --tmpfs */
	mask_paths(s, fd);
	pivot(s, fd);
	readonly_rootfs(s, fd); /* mounts.c: --read-only */
	if ((s->ns_flags & CLONE_NEWUTS) && s->hostname && sethostname(s->hostname, strlen(s->hostname)) < 0)
		child_fail(fd, "setup", errno, "sethostname %s", s->hostname);
}

static int cap_last(void)
{
	for (int cap = 63; cap > 0; cap--)
		if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0)
			return cap;
	return CAP_LAST_CAP;
}

/*
 * capabilities(7): drop every capability not kept from the bounding set (needs CAP_SETPCAP, so
 * first), switch ids with PR_SET_KEEPCAPS so the permitted set survives setuid, then set effective =
 * permitted = kept, inheritable empty (CVE-2022-24769) and the ambient set cleared. On execve a root
 * process gets the bounding set again; any other uid ends with empty permitted/effective, as in Docker.
 */
void drop_privileges(const struct spec *s, int fd)
{
	for (int cap = 0, last = cap_last(); cap <= last; cap++)
		if (!(s->caps & (1ULL << cap)) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
			child_fail(fd, "setup", errno, "prctl(PR_CAPBSET_DROP, %d)", cap);
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		child_fail(fd, "setup", errno, "prctl(PR_SET_KEEPCAPS)");
	if (setgroups(s->ngids, s->gids) < 0)
		child_fail(fd, "setup", errno, "setgroups");
	if (setresgid(s->gid, s->gid, s->gid) < 0)
		child_fail(fd, "setup", errno, "setgid %u", (unsigned)s->gid);
	if (setresuid(s->uid, s->uid, s->uid) < 0)
		child_fail(fd, "setup", errno, "setuid %u", (unsigned)s->uid);
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	memset(data, 0, sizeof(data));
	for (int i = 0; i < 2; i++)
		data[i].effective = data[i].permitted = (uint32_t)(s->caps >> (32 * i));
	if (syscall(SYS_capset, &hdr, data) < 0)
		child_fail(fd, "setup", errno, "capset");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		child_fail(fd, "setup", errno, "prctl(PR_CAP_AMBIENT_CLEAR_ALL)");
	/* prctl(2) PR_SET_NO_NEW_PRIVS: setuid bits and file capabilities stop granting anything. */
	if (s->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		child_fail(fd, "setup", errno, "prctl(PR_SET_NO_NEW_PRIVS)");
}

static const char *env_path(const struct spec *s)
{
	for (size_t i = 0; i < s->env.n; i++)
		if (strncmp(s->env.v[i], "PATH=", 5) == 0)
			return s->env.v[i] + 5;
	return DEFAULT_PATH;
}

/*
 * execve(2) argv[0], searched in the container's PATH (not ours) when it has no slash, as execvp(3)
 * would: EACCES from any candidate wins over ENOENT, so "found but not executable" reports 126.
 */
void exec_command(const struct spec *s, int fd)
{
	if (chdir(s->cwd) < 0)
		child_fail(fd, "setup", errno, "chdir to working directory %s", s->cwd);
	if (cloexec_from(3) < 0)
		child_fail(fd, "setup", errno, "mark descriptors close-on-exec");
	const char *cmd = s->args.v[0];
	if (strchr(cmd, '/')) {
		execve(cmd, s->args.v, s->env.v);
		child_fail(fd, "exec", errno, "exec \"%s\"", cmd);
	}
	int err = ENOENT;
	char path[4096];
	for (const char *dir = env_path(s); *cmd;) {
		const char *end = strchrnul(dir, ':');
		int len = (int)(end - dir);
		if (snprintf(path, sizeof(path), "%.*s%s%s", len, dir, len ? "/" : "", cmd) < (int)sizeof(path)) {
			execve(path, s->args.v, s->env.v);
			if (errno == EACCES)
				err = EACCES;
		}
		if (!*end)
			break;
		dir = end + 1;
	}
	child_fail(fd, "exec", err, "exec \"%s\" (searched $PATH)", cmd);
}
