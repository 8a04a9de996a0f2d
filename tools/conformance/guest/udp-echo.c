/*
 * udp-echo: the conformance guest's UDP traffic. Sends COUNT datagrams of SIZE bytes to HOST:PORT (the
 * responder's echo port), at most WINDOW unanswered at a time, and checks that each comes back byte for
 * byte. The kernel hands the UDP checksum to the device on the way out (CHECKSUM_PARTIAL) and trusts the
 * device's on the way in, so this exercises both offloads.
 *
 * Usage: udp-echo HOST PORT COUNT SIZE [WINDOW]
 * Prints "sent=N received=N corrupt=N lost=N"; exit 0 when every datagram came back intact.
 * Built static by build-initramfs (gcc -static), so it runs in the busybox guest.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void fill(unsigned char *p, size_t size, uint32_t seq)
{
    memcpy(p, &seq, sizeof seq);
    for (size_t i = sizeof seq; i < size; i++)
        p[i] = (unsigned char)(seq * 31u + i);
}

int main(int argc, char **argv)
{
    if (argc < 5 || argc > 6) {
        fprintf(stderr, "usage: udp-echo HOST PORT COUNT SIZE [WINDOW]\n");
        return 2;
    }
    struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[2])) };
    if (inet_pton(AF_INET, argv[1], &to.sin_addr) != 1) {
        fprintf(stderr, "udp-echo: '%s' is not an IPv4 address\n", argv[1]);
        return 2;
    }
    long count = atol(argv[3]), size = atol(argv[4]), window = argc > 5 ? atol(argv[5]) : 8;
    if (count < 1 || size < 4 || size > 65507 || window < 1) {
        fprintf(stderr, "udp-echo: COUNT >= 1, 4 <= SIZE <= 65507, WINDOW >= 1\n");
        return 2;
    }
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&to, sizeof to) < 0) {
        perror("udp-echo: socket");
        return 2;
    }
    unsigned char *out = malloc((size_t)size), *in = malloc((size_t)size + 1), *want = malloc((size_t)size);
    unsigned char *seen = calloc((size_t)count, 1);
    if (!out || !in || !want || !seen)
        return 2;
    long sent = 0, received = 0, corrupt = 0, outstanding = 0;
    while (received + corrupt < count) {
        while (sent < count && outstanding < window) {
            fill(out, (size_t)size, (uint32_t)sent);
            if (send(fd, out, (size_t)size, 0) != size) {
                if (errno == ENOBUFS || errno == EAGAIN) { usleep(1000); continue; }
                perror("udp-echo: send");
                return 2;
            }
            sent++;
            outstanding++;
        }
        struct pollfd p = { .fd = fd, .events = POLLIN };
        int ready = poll(&p, 1, 2000);
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready <= 0) {
            /* Nothing for 2 s: what is outstanding is lost; carry on with the rest, if any. */
            outstanding = 0;
            if (sent == count)
                break;
            continue;
        }
        ssize_t n = recv(fd, in, (size_t)size + 1, 0);
        if (n < 0)
            continue;
        uint32_t seq;
        if (n < 4) { corrupt++; outstanding--; continue; }
        memcpy(&seq, in, sizeof seq);
        if (seq >= (uint32_t)count || seen[seq]) { corrupt++; continue; }
        fill(want, (size_t)size, seq);
        seen[seq] = 1;
        if (n != size || memcmp(in, want, (size_t)size) != 0)
            corrupt++;
        else
            received++;
        if (outstanding > 0)
            outstanding--;
    }
    printf("sent=%ld received=%ld corrupt=%ld lost=%ld\n", sent, received, corrupt, sent - received - corrupt);
    return received == count && corrupt == 0 ? 0 : 1;
}
