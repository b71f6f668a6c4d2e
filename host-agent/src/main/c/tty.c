/*
 * Pseudo-terminals from the container's own devpts, as runc does (libcontainer/console): the pty pair is
 * opened by a process that is already inside the container's mount namespace (the init right after
 * pivot_root; an exec right after setns), through /dev/pts/ptmx of the devpts instance mounted with
 * "newinstance" for that container. The slave is then /dev/pts/N inside the container, so tty(1) and
 * ttyname(3) work; a pty of the host's devpts would have no name there ("not a tty").
 *
 * The master goes to the shim, which stays outside: over a unix socket as SCM_RIGHTS (unix(7)) with a one
 * byte tag 't' (run: the init's sync socketpair), or it is simply kept (exec: the shim itself opens it).
 *
 * Window size: the agent writes "<rows> <cols>\n" into a file (run: <state-dir>/winsize; exec: the path
 * of the spec's winsize record, opened before setns) and then sends SIGWINCH to the shim, which reads the
 * file and applies it to the master with TIOCSWINSZ (tty_ioctl(4)); the kernel then sends SIGWINCH to the
 * terminal's foreground process group. The file is also read once when the pty is made, so a size sent
 * before the pty exists is not lost. A signal, not a message on the attach socket, because that socket's
 * client-to-shim direction is raw stdin with no framing; and SIGWINCH is harmless should the pid ever
 * name another process (its default action is to ignore it).
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

/* The master of a new pty of the devpts mounted on /dev/pts (the caller's root must be the container's). */
int tty_open_master(int *slave)
{
	int master = open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		return -1;
	int unlock = 0;
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0) { /* unlockpt(3) */
		close(master);
		return -1;
	}
	/* TIOCGPTPEER (Linux 4.13): the slave without a path lookup that a container could redirect. */
	*slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*slave < 0) {
		close(master);
		return -1;
	}
	return master;
}

/* In a new session (after setsid(2)): the slave becomes the controlling terminal and fds 0, 1 and 2. */
void tty_become_stdio(int slave, int report_fd)
{
	if (ioctl(slave, TIOCSCTTY, 0) < 0)
		child_fail(report_fd, "setup", errno, "make the pty the controlling terminal");
	for (int i = 0; i < 3; i++)
		if (dup2(slave, i) < 0)
			child_fail(report_fd, "setup", errno, "dup2 the pty to %d", i);
	if (slave > 2)
		close(slave);
}

int send_fd(int sock, int fd)
{
	char tag = 't';
	struct iovec iov = { .iov_base = &tag, .iov_len = 1 };
	union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } u;
	memset(&u, 0, sizeof(u));
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	ssize_t n;
	while ((n = sendmsg(sock, &msg, MSG_NOSIGNAL)) < 0 && errno == EINTR)
		;
	return n == 1 ? 0 : -1;
}

/*
 * One byte and maybe a descriptor. Returns the byte (-1 on EOF or error); *fd is the descriptor passed
 * with a 't', else -1. Any other byte is the first of an "error ..." line, which the caller reads on.
 */
int recv_fd(int sock, int *fd)
{
	char tag;
	struct iovec iov = { .iov_base = &tag, .iov_len = 1 };
	union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } u;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
	ssize_t n;
	*fd = -1;
	while ((n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
		;
	if (n != 1)
		return -1;
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && c->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(fd, CMSG_DATA(c), sizeof(int));
	if (tag != 't' && *fd >= 0) {
		close(*fd);
		*fd = -1;
	}
	return (unsigned char)tag;
}

/* Applies "<rows> <cols>" from the winsize file (fd, read from offset 0) to master; nothing if absent/bad. */
void tty_apply_winsize(int master, int winsize_fd)
{
	char buf[64];
	if (master < 0 || winsize_fd < 0)
		return;
	ssize_t n = pread(winsize_fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return;
	buf[n] = '\0';
	unsigned rows, cols;
	if (sscanf(buf, "%u %u", &rows, &cols) != 2 || rows > 0xffff || cols > 0xffff)
		return;
	struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
	if (ioctl(master, TIOCSWINSZ, &ws) < 0)
		log_msg("TIOCSWINSZ %ux%u: %s", rows, cols, strerror(errno));
}

/* The same by name (run: "winsize" in the state directory, the shim's cwd). */
void tty_apply_winsize_file(int master, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return;
	tty_apply_winsize(master, fd);
	close(fd);
}
