/*
 * A UDP echo server for NetworkDockerCliIT (busybox's nc has no -u): binds 0.0.0.0:PORT, prints each
 * datagram to stdout (so `docker logs` shows it) and sends it back prefixed with "echo:". Compiled by the
 * test with gcc -static and put into an image.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

int main(int argc, char **argv) {
    int port = argc > 1 ? atoi(argv[1]) : 53;
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short) port);
    if (s < 0 || bind(s, (struct sockaddr *) &addr, sizeof addr) < 0) {
        perror("bind");
        return 1;
    }
    printf("listening on %d/udp\n", port);
    fflush(stdout);
    for (;;) {
        char buf[2048];
        struct sockaddr_in from;
        socklen_t len = sizeof from;
        ssize_t n = recvfrom(s, buf + 5, sizeof buf - 5, 0, (struct sockaddr *) &from, &len);
        if (n < 0) {
            perror("recvfrom");
            return 1;
        }
        printf("got %.*s from %s\n", (int) n, buf + 5, inet_ntoa(from.sin_addr));
        fflush(stdout);
        memcpy(buf, "echo:", 5);
        sendto(s, buf, (size_t) n + 5, 0, (struct sockaddr *) &from, len);
    }
}
