/*
 * The attach socket, <state-dir>/attach.sock (mode 0600): how the agent sees live output and feeds
 * stdin. The log file, not this socket, is the record: a client that is absent or slow never holds
 * the container up. A client more than ATTACH_CLIENT_BUF bytes behind is disconnected (it can fall
 * back to the log) rather than silently missing bytes in the middle of the stream.
 *
 * Shim -> client: Docker's multiplexed stream framing (Engine API, "Attach to a container"): an 8-byte
 * header [stream, 0, 0, 0, size as big-endian uint32] then size bytes; stream 1 = stdout, 2 = stderr.
 * With a tty there is only stream 1 (dockerd sends tty output raw: the agent strips the header).
 * Client -> shim: raw stdin bytes, used only when the spec has stdin=1 (otherwise discarded). When a
 * client shuts down its writing side (shutdown(2) SHUT_WR), the container's stdin is closed (not with
 * a tty: the terminal stays). Connect before answering "go" to see the output from the first byte.
 */
#include "shim.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

int attach_listen(struct attach *a, const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	for (int i = 0; i < ATTACH_MAX_CLIENTS; i++)
		a->c[i].fd = -1;
	if (strlen(path) >= sizeof(addr.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(addr.sun_path, path);
	unlink(path);
	a->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (a->listen_fd < 0)
		return -1;
	mode_t old = umask(0077); /* the socket is born 0600: root's agent only */
	int rc = bind(a->listen_fd, (struct sockaddr *)&addr, sizeof(addr));
	umask(old);
	if (rc < 0 || listen(a->listen_fd, ATTACH_MAX_CLIENTS) < 0)
		return -1;
	return 0;
}

void attach_accept(struct attach *a)
{
	int fd;
	while ((fd = accept4(a->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		struct attach_client *free_slot = NULL;
		for (int i = 0; i < ATTACH_MAX_CLIENTS && !free_slot; i++)
			if (a->c[i].fd < 0)
				free_slot = &a->c[i];
		char *buf = free_slot ? malloc(ATTACH_CLIENT_BUF) : NULL;
		if (!buf) {
			log_msg("attach: refusing a client (%s)", free_slot ? "out of memory" : "too many clients");
			close(fd);
			continue;
		}
		*free_slot = (struct attach_client){ .fd = fd, .reading = 1, .buf = buf, .len = 0 };
	}
}

void attach_drop(struct attach_client *c, const char *why)
{
	if (why)
		log_msg("attach: dropping client: %s", why);
	close(c->fd);
	free(c->buf);
	*c = (struct attach_client){ .fd = -1 };
}

void attach_flush(struct attach_client *c)
{
	size_t off = 0;
	while (off < c->len) {
		ssize_t n = send(c->fd, c->buf + off, c->len - off, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n < 0) {
			attach_drop(c, errno == EPIPE || errno == ECONNRESET ? NULL : strerror(errno));
			return;
		}
		off += (size_t)n;
	}
	memmove(c->buf, c->buf + off, c->len - off);
	c->len -= off;
}

void attach_send(struct attach *a, int stream, const char *data, size_t len)
{
	unsigned char hdr[8] = { (unsigned char)stream, 0, 0, 0, (unsigned char)(len >> 24),
				 (unsigned char)(len >> 16), (unsigned char)(len >> 8), (unsigned char)len };
	for (int i = 0; i < ATTACH_MAX_CLIENTS; i++) {
		struct attach_client *c = &a->c[i];
		if (c->fd < 0)
			continue;
		if (c->len + sizeof(hdr) + len > ATTACH_CLIENT_BUF) {
			attach_drop(c, "too far behind the output");
			continue;
		}
		memcpy(c->buf + c->len, hdr, sizeof(hdr));
		memcpy(c->buf + c->len + sizeof(hdr), data, len);
		c->len += sizeof(hdr) + len;
		attach_flush(c);
	}
}
