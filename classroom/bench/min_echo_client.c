/* The smallest honest echo client, the yardstick of echo_bench's own cost:
 * one connection, N round trips of SIZE bytes, each a blocking write of
 * the whole message then reads until SIZE bytes came back. No timing per
 * round trip, no checks of the reply: only the loop.
 *
 *   min_echo_client <IP> <port> <N> <SIZE>
 *
 * prints one line: `ops_per_sec <number>`. Written for this workspace
 * (classroom/bench/overhead.sh builds and runs it). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what)
{
    perror(what);
    exit(1);
}

int main(int argc, char *argv[])
{
    if (argc != 5) {
        fprintf(stderr, "Usage: %s <IP> <port> <N> <SIZE>\n", argv[0]);
        return 1;
    }
    long n = atol(argv[3]);
    size_t size = (size_t)atol(argv[4]);
    char *message = malloc(size), *reply = malloc(size);
    if (n <= 0 || size == 0 || !message || !reply) {
        fprintf(stderr, "N and SIZE must be at least 1\n");
        return 1;
    }
    memset(message, 'a', size);

    struct sockaddr_in server = {0};
    server.sin_family = AF_INET;
    server.sin_port = htons((unsigned short)atoi(argv[2]));
    if (inet_pton(AF_INET, argv[1], &server.sin_addr) != 1) {
        fprintf(stderr, "bad IP: %s\n", argv[1]);
        return 1;
    }
    int sock = socket(AF_INET, SOCK_STREAM, 0);
    if (sock < 0)
        die("socket");
    if (connect(sock, (struct sockaddr *)&server, sizeof(server)) < 0)
        die("connect");

    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (long i = 0; i < n; i++) {
        for (size_t sent = 0; sent < size;) {
            ssize_t w = write(sock, message + sent, size - sent);
            if (w <= 0)
                die("write");
            sent += (size_t)w;
        }
        for (size_t got = 0; got < size;) {
            ssize_t r = read(sock, reply + got, size - got);
            if (r <= 0)
                die("read");
            got += (size_t)r;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    double secs = (double)(end.tv_sec - start.tv_sec)
                + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
    printf("ops_per_sec %.0f\n", (double)n / secs);
    close(sock);
    return 0;
}
