/*
 * Docker's json-file log format, written by the shim itself so a container never waits for the agent.
 *
 * One JSON object per line, fields in dockerd's order:
 *   {"log":"hello\n","stream":"stdout","time":"2026-11-27T22:30:00.123456789Z"}
 * "log" holds the bytes of one line including its "\n"; a line longer than LOG_LINE_MAX, or the rest
 * of the output at EOF, is written without the "\n" (a partial record), as dockerd's copier does.
 * Escaping follows moby's jsonlog (ffjsonWriteJSONBytesAsString): \" \\ \n \r, every other byte below
 * 0x20 and < > & as \u00XX, invalid UTF-8 as \ufffd, U+2028/U+2029 escaped. "time" is UTC with nine
 * fraction digits (dockerd trims trailing zeros; readers parse both).
 *
 * Rotation (moby loggerutils.LogFile): before a record is written, if the file holds max_size bytes or
 * more, <path>.N-1 -> <path>.N ... <path> -> <path>.1, dropping what is beyond max_file files in all;
 * with max_file 1 the file is truncated instead.
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char record[LOG_LINE_MAX * 6 + 256]; /* worst case: every byte becomes \u00XX */

/* Length of the valid UTF-8 sequence at p (as Go's utf8.DecodeRune accepts), or 0 if invalid. */
static size_t utf8_len(const unsigned char *p, size_t n, unsigned *cp)
{
	unsigned c = p[0];
	size_t len;
	unsigned min;
	if (c >= 0xc2 && c <= 0xdf) { len = 2; c &= 0x1f; min = 0x80; }
	else if (c >= 0xe0 && c <= 0xef) { len = 3; c &= 0x0f; min = 0x800; }
	else if (c >= 0xf0 && c <= 0xf4) { len = 4; c &= 0x07; min = 0x10000; }
	else return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

static size_t escape(char *out, const unsigned char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char *o = out;
	for (size_t i = 0; i < n;) {
		unsigned char b = s[i];
		if (b < 0x80) {
			if (b == '"' || b == '\\') { *o++ = '\\'; *o++ = (char)b; }
			else if (b == '\n') { *o++ = '\\'; *o++ = 'n'; }
			else if (b == '\r') { *o++ = '\\'; *o++ = 'r'; }
			else if (b < 0x20 || b == '<' || b == '>' || b == '&') {
				memcpy(o, "\\u00", 4);
				o[4] = hex[b >> 4];
				o[5] = hex[b & 0xf];
				o += 6;
			} else *o++ = (char)b;
			i++;
			continue;
		}
		unsigned cp;
		size_t len = utf8_len(s + i, n - i, &cp);
		if (len == 0) {
			memcpy(o, "\\ufffd", 6);
			o += 6;
			i++;
		} else if (cp == 0x2028 || cp == 0x2029) {
			memcpy(o, cp == 0x2028 ? "\\u2028" : "\\u2029", 6);
			o += 6;
			i += len;
		} else {
			memcpy(o, s + i, len);
			o += len;
			i += len;
		}
	}
	return (size_t)(o - out);
}

int jsonlog_open(struct jsonlog *l, const char *path, long long max_size, int max_file)
{
	l->path = path;
	l->max_size = max_size;
	l->max_file = max_file < 1 ? 1 : max_file;
	l->pending = 0;
	l->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (l->fd < 0)
		return -1;
	struct stat st;
	l->size = fstat(l->fd, &st) == 0 ? st.st_size : 0;
	return 0;
}

void jsonlog_flush(struct jsonlog *l)
{
	if (l->pending > 0 && write_all(l->fd, l->out, l->pending) < 0) {
		log_msg("write %s: %s (%zu bytes of records dropped)", l->path, strerror(errno), l->pending);
		l->size -= (long long)l->pending;
	}
	l->pending = 0;
}

static void rotate(struct jsonlog *l)
{
	char from[4096], to[4096];
	jsonlog_flush(l);
	if (l->max_file < 2) {
		if (ftruncate(l->fd, 0) == 0)
			l->size = 0;
		return;
	}
	for (int i = l->max_file - 1; i > 1; i--) {
		snprintf(from, sizeof(from), "%s.%d", l->path, i - 1);
		snprintf(to, sizeof(to), "%s.%d", l->path, i);
		if (rename(from, to) < 0 && errno != ENOENT)
			log_msg("rotate %s: %s", from, strerror(errno));
	}
	snprintf(to, sizeof(to), "%s.1", l->path);
	if (rename(l->path, to) < 0)
		log_msg("rotate %s: %s", l->path, strerror(errno));
	int fd = open(l->path, O_WRONLY | O_APPEND | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0) {
		log_msg("reopen %s: %s (keeps writing to the rotated file)", l->path, strerror(errno));
		return;
	}
	close(l->fd);
	l->fd = fd;
	l->size = 0;
}

/* Queues one record; callers flush after each read, so the log is never behind the container's output. */
void jsonlog_write(struct jsonlog *l, const char *stream, const char *data, size_t len,
		   const struct timespec *ts)
{
	char when[40];
	if (len > LOG_LINE_MAX)
		len = LOG_LINE_MAX; /* callers never pass more; keeps record[] from overflowing regardless */
	format_time(ts, when, sizeof(when));
	size_t n = 0;
	memcpy(record, "{\"log\":\"", 8);
	n += 8;
	n += escape(record + n, (const unsigned char *)data, len);
	n += (size_t)snprintf(record + n, sizeof(record) - n, "\",\"stream\":\"%s\",\"time\":\"%s\"}\n", stream, when);
	if (l->max_size > 0 && l->size >= l->max_size)
		rotate(l);
	if (l->pending + n > sizeof(l->out))
		jsonlog_flush(l);
	memcpy(l->out + l->pending, record, n); /* n < sizeof(record) < sizeof(l->out) */
	l->pending += n;
	l->size += (long long)n;
}
