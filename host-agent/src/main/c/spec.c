/*
 * The spec file: what to run, written by the agent (io.hawser.agent.runtime.SpecFile) into the
 * container's state directory before it starts the shim.
 *
 * Format: a sequence of records "key=value", each terminated by one NUL byte; nothing else. The value
 * runs from the first '=' to the NUL, so it may hold any byte but NUL (which argv, env and paths cannot
 * hold anyway). List keys repeat, in order. The first record must be "version=1"; an unknown key, a
 * malformed number or a missing NUL at the end refuses the whole file. Chosen over JSON because
 * parsing it is a loop over strchr and strtoull, with no escapes to get wrong.
 *
 *   version=1                      rootfs=<dir>            cwd=<dir in the container>
 *   arg=<argv[i]> (repeated, >=1)  env=<K=V> (repeated)    hostname=<name>
 *   uid=<n>  gid=<n>  gids=<n> (repeated: supplementary groups, setgroups(2))
 *   tty=0|1  stdin=0|1  no_new_privs=0|1
 *   log=<path of <id>-json.log>    log_max_size=<bytes, 0 = unlimited>   log_max_file=<n >= 1>
 *   ns=pid|mnt|uts|ipc|net (repeated; without ns=net the container shares the host's network)
 *   masked=<path> (repeated)       readonly=<path> (repeated)   (absolute, no "." or ".." components)
 *   cap=<capability number, capabilities(7)> (repeated: the set kept; all others are dropped)
 *   cgroup=<path of a cgroup.procs file> (repeated; exec only: joined before the fork)
 *   winsize=<path> (exec only, with tty=1: the window size file, see tty.c)
 *   mount=<type>\t<source>\t<target>\t<options> (repeated)   readonly_rootfs=0|1   (see mounts.c)
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SPEC_MAX (1 << 20)

static int read_file(const char *path, char **out, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	char *buf = malloc(SPEC_MAX + 1);
	size_t n = 0;
	while (buf && n <= SPEC_MAX) {
		ssize_t r = read(fd, buf + n, SPEC_MAX + 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r < 0)
				n = SPEC_MAX + 2; /* read error */
			break;
		}
		n += (size_t)r;
	}
	close(fd);
	if (!buf || n > SPEC_MAX) {
		free(buf);
		errno = buf ? EFBIG : ENOMEM;
		return -1;
	}
	*out = buf;
	*len = n;
	return 0;
}

static int parse_u64(const char *v, unsigned long long max, unsigned long long *out)
{
	if (*v < '0' || *v > '9')
		return -1;
	char *end;
	errno = 0;
	unsigned long long n = strtoull(v, &end, 10);
	if (errno || *end || n > max)
		return -1;
	*out = n;
	return 0;
}

static int parse_ns(const char *v, int *flags)
{
	static const struct { const char *name; int flag; } names[] = {
		{ "pid", CLONE_NEWPID }, { "mnt", CLONE_NEWNS }, { "uts", CLONE_NEWUTS },
		{ "ipc", CLONE_NEWIPC }, { "net", CLONE_NEWNET },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(v, names[i].name) == 0) {
			*flags |= names[i].flag;
			return 0;
		}
	}
	return -1;
}

/* An absolute path inside the container other than "/": no empty, "." or ".." component (so it cannot
 * name the rootfs itself or climb out of it) and no trailing slash. */
int spec_path_ok(const char *p)
{
	if (p[0] != '/' || p[1] == '\0')
		return 0;
	for (const char *c = p + 1;;) {
		const char *end = strchrnul(c, '/');
		size_t len = (size_t)(end - c);
		if (len == 0 || (len == 1 && c[0] == '.') || (len == 2 && c[0] == '.' && c[1] == '.'))
			return 0;
		if (!*end)
			return 1;
		c = end + 1;
	}
}

static void list_add(struct strlist *l, char *v)
{
	l->v[l->n++] = v;
	l->v[l->n] = NULL;
}

/* Every list gets room for all records plus its NULL: a few pointers more than needed, never less. */
static int alloc_lists(struct spec *s, size_t records)
{
	struct strlist *lists[] = { &s->args, &s->env, &s->masked, &s->readonly, &s->cgroups, &s->mounts };
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		lists[i]->v = calloc(records + 1, sizeof(char *));
		if (!lists[i]->v)
			return -1;
	}
	s->gids = calloc(records + 1, sizeof(gid_t));
	return s->gids ? 0 : -1;
}

static int set_record(struct spec *s, const char *key, char *v)
{
	unsigned long long n;
	if (!strcmp(key, "rootfs")) s->rootfs = v;
	else if (!strcmp(key, "cwd")) s->cwd = v;
	else if (!strcmp(key, "hostname")) s->hostname = v;
	else if (!strcmp(key, "log")) s->log_path = v;
	else if (!strcmp(key, "winsize")) s->winsize = v;
	else if (!strcmp(key, "arg")) list_add(&s->args, v);
	else if (!strcmp(key, "env")) list_add(&s->env, v);
	else if (!strcmp(key, "masked")) { if (!spec_path_ok(v)) return -1; list_add(&s->masked, v); }
	else if (!strcmp(key, "readonly")) { if (!spec_path_ok(v)) return -1; list_add(&s->readonly, v); }
	else if (!strcmp(key, "cgroup")) list_add(&s->cgroups, v);
	else if (!strcmp(key, "ns")) return parse_ns(v, &s->ns_flags);
	else if (!strcmp(key, "uid")) { if (parse_u64(v, 0xfffffffeU, &n)) return -1; s->uid = (uid_t)n; }
	else if (!strcmp(key, "gid")) { if (parse_u64(v, 0xfffffffeU, &n)) return -1; s->gid = (gid_t)n; }
	else if (!strcmp(key, "gids")) { if (parse_u64(v, 0xfffffffeU, &n)) return -1; s->gids[s->ngids++] = (gid_t)n; }
	else if (!strcmp(key, "tty")) { if (parse_u64(v, 1, &n)) return -1; s->tty = (int)n; }
	else if (!strcmp(key, "stdin")) { if (parse_u64(v, 1, &n)) return -1; s->stdin_open = (int)n; }
	else if (!strcmp(key, "no_new_privs")) { if (parse_u64(v, 1, &n)) return -1; s->no_new_privs = (int)n; }
	else if (!strcmp(key, "log_max_size")) { if (parse_u64(v, 1ULL << 62, &n)) return -1; s->log_max_size = (long long)n; }
	else if (!strcmp(key, "log_max_file")) { if (parse_u64(v, 1000, &n) || n < 1) return -1; s->log_max_file = (int)n; }
	else if (!strcmp(key, "mount")) list_add(&s->mounts, v); /* checked by mounts.c */
	else if (!strcmp(key, "readonly_rootfs")) { if (parse_u64(v, 1, &n)) return -1; s->readonly_rootfs = (int)n; }
	else if (!strcmp(key, "cap")) { if (parse_u64(v, 63, &n)) return -1; s->caps |= 1ULL << n; }
	else return -1;
	return 0;
}

int spec_load(const char *path, struct spec *s, char *err, size_t errlen)
{
	size_t len;
	memset(s, 0, sizeof(*s));
	s->log_max_file = 1;
	s->cwd = "/";
	if (read_file(path, &s->buf, &len) < 0) {
		snprintf(err, errlen, "read spec %s: %s", path, strerror(errno));
		return -1;
	}
	if (len == 0 || s->buf[len - 1] != '\0') {
		snprintf(err, errlen, "spec %s: empty or not NUL-terminated", path);
		return -1;
	}
	size_t records = 0;
	for (size_t i = 0; i < len; i++)
		records += s->buf[i] == '\0';
	if (alloc_lists(s, records) < 0) {
		snprintf(err, errlen, "spec %s: out of memory", path);
		return -1;
	}
	size_t index = 0;
	for (char *rec = s->buf, *next; rec < s->buf + len; rec = next, index++) {
		next = rec + strlen(rec) + 1; /* before the '=' below becomes a NUL */
		char *eq = strchr(rec, '=');
		if (!eq) {
			snprintf(err, errlen, "spec %s: record %zu has no '='", path, index);
			return -1;
		}
		*eq = '\0';
		int bad = index == 0 ? strcmp(rec, "version") || strcmp(eq + 1, "1") : set_record(s, rec, eq + 1);
		if (bad) {
			snprintf(err, errlen, "spec %s: bad record %zu: %s=%.64s", path, index, rec, eq + 1);
			return -1;
		}
	}
	if (s->args.n == 0) {
		snprintf(err, errlen, "spec %s: no arg records (nothing to run)", path);
		return -1;
	}
	return 0;
}
