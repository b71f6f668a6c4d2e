/*
 * The container's own mounts (-v, --mount, --tmpfs) and --read-only, done by the init in its mount
 * namespace after /proc, /dev and /sys and before the masked paths and pivot_root. Spec keys (spec.c):
 *
 *   mount=<type>\t<source>\t<target>\t<options>   (repeated, in order: parents before children)
 *       type     bind or tmpfs
 *       source   bind: an absolute host path the agent resolved (realpath) at start; tmpfs: "tmpfs"
 *       target   a path in the container (spec_path_ok)
 *       options  comma-separated: ro, nosuid, nodev, noexec; for tmpfs also size=, mode=, nr_inodes=,
 *                uid=, gid= (passed to the kernel as data, tmpfs(5)). A missing mount point is created
 *                as a directory, or as an empty file when the bind source is not a directory.
 *   readonly_rootfs=0|1
 *
 * The target is opened component by component from the rootfs with O_PATH|O_NOFOLLOW (missing ones are
 * created), so a symlink planted in the image, or swapped in by another container through a shared volume
 * between a check and the mount, can never put the mount outside the rootfs: mount(2) is given
 * /proc/self/fd/N, the object already opened, as runc does since CVE-2021-30465. The bind source is walked
 * the same way from "/": the agent passes a path without symlinks, so a symlink met on the way means the
 * path changed since, and is refused. Every mount is made rprivate.
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

struct user_mount {
	char buf[8192];
	const char *type, *source, *target;
	unsigned long flags;
	int readonly, file;
	char data[1024];
};

static void parse(const char *rec, struct user_mount *m, int fd)
{
	if (snprintf(m->buf, sizeof(m->buf), "%s", rec) >= (int)sizeof(m->buf))
		child_fail(fd, "setup", ENAMETOOLONG, "mount record too long");
	char *f[4];
	char *p = m->buf;
	for (int i = 0; i < 4; i++) {
		f[i] = p;
		p = strchr(p, '\t');
		if (i < 3) {
			if (!p)
				child_fail(fd, "setup", EINVAL, "mount record '%.200s' needs 4 tab-separated fields", rec);
			*p++ = '\0';
		} else if (p) {
			child_fail(fd, "setup", EINVAL, "mount record '%.200s' has more than 4 fields", rec);
		}
	}
	m->type = f[0];
	m->source = f[1];
	m->target = f[2];
	m->flags = 0;
	m->readonly = m->file = 0;
	m->data[0] = '\0';
	int tmpfs = !strcmp(m->type, "tmpfs");
	if (!tmpfs && strcmp(m->type, "bind"))
		child_fail(fd, "setup", EINVAL, "mount type '%s' (bind or tmpfs)", m->type);
	if (!spec_path_ok(m->target) || (!tmpfs && !spec_path_ok(m->source)))
		child_fail(fd, "setup", EINVAL, "mount %s on %s: paths must be absolute and normalized", m->source, m->target);
	for (char *opt = f[3], *next; opt && *opt; opt = next) {
		next = strchr(opt, ',');
		if (next)
			*next++ = '\0';
		if (!strcmp(opt, "ro")) m->readonly = 1;
		else if (!strcmp(opt, "nosuid")) m->flags |= MS_NOSUID;
		else if (!strcmp(opt, "nodev")) m->flags |= MS_NODEV;
		else if (!strcmp(opt, "noexec")) m->flags |= MS_NOEXEC;
		else if (tmpfs && (!strncmp(opt, "size=", 5) || !strncmp(opt, "mode=", 5) || !strncmp(opt, "nr_inodes=", 10)
				   || !strncmp(opt, "uid=", 4) || !strncmp(opt, "gid=", 4))) {
			size_t used = strlen(m->data);
			if (snprintf(m->data + used, sizeof(m->data) - used, "%s%s", used ? "," : "", opt)
			    >= (int)(sizeof(m->data) - used))
				child_fail(fd, "setup", E2BIG, "tmpfs options too long");
		} else
			child_fail(fd, "setup", EINVAL, "mount %s: unknown option '%s'", m->target, opt);
	}
}

/*
 * Opens root + rel without following a symlink anywhere. create: missing directories are made (the last
 * component as an empty file when file is set). Returns an O_PATH descriptor of the last component and,
 * in *parent, one of its directory (kept open: after a mount on the name, a new lookup through it meets
 * the mount's root). Never returns on failure.
 */
static int open_beneath(const char *root, const char *rel, int create, int file, int *parent, int fd)
{
	char path[4096];
	if (snprintf(path, sizeof(path), "%s", rel) >= (int)sizeof(path))
		child_fail(fd, "setup", ENAMETOOLONG, "path %s", rel);
	int dir = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		child_fail(fd, "setup", errno, "open %s", root);
	char *name = path + 1;
	for (char *slash; (slash = strchr(name, '/')); name = slash + 1) {
		*slash = '\0';
		int next = openat(dir, name, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
		if (next < 0 && errno == ENOENT && create) {
			if (mkdirat(dir, name, 0755) < 0 && errno != EEXIST)
				child_fail(fd, "setup", errno, "create %s%s", root, rel);
			next = openat(dir, name, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
		}
		if (next < 0) /* ENOTDIR: a symlink (O_NOFOLLOW opened the link itself) or a file */
			child_fail(fd, "setup", errno == ENOTDIR ? ELOOP : errno,
				   "%s%s: '%s' is a symlink or not a directory", root, rel, name);
		close(dir);
		dir = next;
	}
	struct stat st;
	if (create && fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT) {
		int made = file ? openat(dir, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644)
				: mkdirat(dir, name, 0755);
		if (made < 0 && errno != EEXIST)
			child_fail(fd, "setup", errno, "create %s%s", root, rel);
		if (file && made >= 0)
			close(made);
	}
	int target = openat(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (target < 0 || fstat(target, &st) < 0)
		child_fail(fd, "setup", errno, "open %s%s", root, rel);
	if (S_ISLNK(st.st_mode))
		child_fail(fd, "setup", ELOOP, "refusing to mount on or from %s%s, a symlink", root, rel);
	*parent = dir;
	return target;
}

static void fd_path(int target, char *out, size_t len)
{
	snprintf(out, len, "/proc/self/fd/%d", target);
}

static void mount_one(const struct spec *s, const char *rec, int fd)
{
	struct user_mount m;
	parse(rec, &m, fd);
	int tparent, sparent = -1, src = -1;
	char tpath[64], spath[64];
	if (!strcmp(m.type, "bind")) {
		src = open_beneath("/", m.source, 0, 0, &sparent, fd);
		struct stat st;
		if (fstat(src, &st) < 0)
			child_fail(fd, "setup", errno, "stat %s", m.source);
		m.file = !S_ISDIR(st.st_mode);
	}
	int target = open_beneath(s->rootfs, m.target, 1, m.file, &tparent, fd);
	fd_path(target, tpath, sizeof(tpath));
	if (src >= 0) {
		fd_path(src, spath, sizeof(spath));
		if (mount(spath, tpath, NULL, MS_BIND | MS_REC, NULL) < 0)
			child_fail(fd, "setup", errno, "bind mount %s on %s", m.source, m.target);
		close(src);
		close(sparent);
	} else if (mount("tmpfs", tpath, "tmpfs", m.flags | (m.readonly ? MS_RDONLY : 0), m.data[0] ? m.data : NULL) < 0) {
		child_fail(fd, "setup", errno, "mount tmpfs on %s", m.target);
	}
	close(target);
	/* the name now leads to the new mount's root: remount (bind flags) and propagation act on it */
	const char *name = strrchr(m.target, '/') + 1;
	int mounted = openat(tparent, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (mounted < 0)
		child_fail(fd, "setup", errno, "open %s after mounting", m.target);
	fd_path(mounted, tpath, sizeof(tpath));
	if (!strcmp(m.type, "bind") && (m.readonly || m.flags)) {
		struct statvfs sv;
		if (fstatvfs(mounted, &sv) < 0)
			child_fail(fd, "setup", errno, "statvfs %s", m.target);
		/* mount(2): a bind remount sets all per-mount flags at once, so keep those the source had */
		unsigned long keep = sv.f_flag & (ST_NOSUID | ST_NODEV | ST_NOEXEC | ST_NOATIME | ST_NODIRATIME | ST_RELATIME);
		if (mount(NULL, tpath, NULL, MS_BIND | MS_REMOUNT | keep | m.flags | (m.readonly ? MS_RDONLY : 0), NULL) < 0)
			child_fail(fd, "setup", errno, "remount %s with its options", m.target);
	}
	if (mount(NULL, tpath, NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		child_fail(fd, "setup", errno, "make %s rprivate", m.target);
	close(mounted);
	close(tparent);
}

void setup_user_mounts(const struct spec *s, int fd)
{
	for (size_t i = 0; i < s->mounts.n; i++)
		mount_one(s, s->mounts.v[i], fd);
}

/* --read-only, after pivot_root: only the root's own mount; /dev, /proc, /sys and volumes keep theirs. */
void readonly_rootfs(const struct spec *s, int fd)
{
	struct statvfs sv;
	if (!s->readonly_rootfs)
		return;
	if (statvfs("/", &sv) < 0)
		child_fail(fd, "setup", errno, "statvfs /");
	unsigned long keep = sv.f_flag & (ST_NOSUID | ST_NODEV | ST_NOEXEC | ST_NOATIME | ST_NODIRATIME | ST_RELATIME);
	if (mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | keep, NULL) < 0)
		child_fail(fd, "setup", errno, "remount the root read-only");
}
