/* The smallest honest echo server, the common opponent of
 * classroom/bench/overhead.sh: one client at a time, each read written
 * back whole. It prints the port it listens on (argument 0 lets the
 * kernel pick) and serves until killed.
 *
 *   min_echo_server <port>
 *
 * Written for this workspace. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    if (argc != 2) {
        fprintf(stderr, "Usage: %s <port>\n", argv[0]);
        return 1;
    }
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons((unsigned short)atoi(argv[1]));
    socklen_t len = sizeof(addr);
    if (listener < 0
        || bind(listener, (struct sockaddr *)&addr, sizeof(addr)) < 0
        || listen(listener, 16) < 0
        || getsockname(listener, (struct sockaddr *)&addr, &len) < 0) {
        perror("listen");
        return 1;
    }
    printf("port %d\n", ntohs(addr.sin_port));
    fflush(stdout);

    static char buf[65536];
    for (;;) {
        int client = accept(listener, NULL, NULL);
        if (client < 0)
            continue;
        ssize_t r;
        while ((r = read(client, buf, sizeof(buf))) > 0) {
            for (ssize_t sent = 0; sent < r;) {
                ssize_t w = write(client, buf + sent, (size_t)(r - sent));
                if (w <= 0)
                    break;
                sent += w;
            }
        }
        close(client);
    }
}
