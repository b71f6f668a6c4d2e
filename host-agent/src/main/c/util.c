/* Small helpers: complete writes, atomic state files, timestamps, the shim's own log. */
#include "shim.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* State files are written to "<path>.tmp", fsync'd and renamed, so a reader never sees half a file. */
int write_file_atomic(const char *path, const char *content)
{
	char tmp[4096];
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	if (write_all(fd, content, strlen(content)) < 0 || fsync(fd) < 0) {
		int e = errno;
		close(fd);
		unlink(tmp);
		errno = e;
		return -1;
	}
	close(fd);
	return rename(tmp, path);
}

/* "2026-11-27T22:30:00.123456789Z": RFC 3339 in UTC, always nine fraction digits. */
void format_time(const struct timespec *ts, char *out, size_t outlen)
{
	struct tm tm;
	gmtime_r(&ts->tv_sec, &tm);
	char base[32];
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, outlen, "%.19s.%09dZ", base, (int)(ts->tv_nsec % 1000000000));
}

void log_msg(const char *fmt, ...)
{
	struct timespec now;
	char when[40], line[1024];
	clock_gettime(CLOCK_REALTIME, &now);
	format_time(&now, when, sizeof(when));
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	dprintf(STDERR_FILENO, "%s hawser-shim[%d]: %s\n", when, (int)getpid(), line);
}

/*
 * Marks every descriptor >= lowfd close-on-exec, so only 0, 1 and 2 survive execve(2) (close_range(2),
 * CLOSE_RANGE_CLOEXEC since Linux 5.11). Close-on-exec rather than close: the sync socket must stay
 * open until execve so a failure can still be reported, and its closing is what says "exec worked".
 */
int cloexec_from(int lowfd)
{
	if (close_range((unsigned)lowfd, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return 0;
	DIR *d = opendir("/proc/self/fd"); /* older kernels: walk the table instead */
	if (!d)
		return -1;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		int fd = atoi(e->d_name);
		if (fd >= lowfd && fd != dirfd(d))
			fcntl(fd, F_SETFD, FD_CLOEXEC);
	}
	closedir(d);
	return 0;
}

/*
 * The process's start time since boot (proc(5), /proc/<pid>/stat field 22): with the pid it names one
 * process for the machine's uptime, so a pid reused by another process is told apart. The comm field
 * (2) may hold spaces and ')', so fields are counted from the last ')'.
 */
int proc_starttime(pid_t pid, unsigned long long *out)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	char *p = strrchr(buf, ')');
	if (!p)
		goto bad;
	p++;
	for (int field = 2; field < 21; field++) { /* after ')' come " state ppid ..."; skip to field 22 */
		p = strchr(p + 1, ' ');
		if (!p)
			goto bad;
	}
	char *end;
	errno = 0;
	*out = strtoull(p + 1, &end, 10);
	if (errno || end == p + 1 || *end != ' ')
		goto bad;
	return 0;
bad:
	errno = EINVAL;
	return -1;
}
