// The floor of exact pacing: a minimal HTTP/1.1 client in C that sends one GET every 1/RATE s, at its
// intended time (not in bursts), over CONNECTIONS keep-alive connections to 127.0.0.1:PORT, for SECONDS.
// One thread, epoll, a nanosecond epoll_pwait2 timeout to the next send: the least work an exact open
// model does per request (one sendto, one recvfrom, a sleep and a wake-up between sends). It prints its
// responses, its send lag's p99 and its own user + system CPU per response (getrusage), so that
// cpu-vs-wrk.sh can set loadleak's fixed-rate CPU beside what the kernel alone charges for exact pacing.
//   cc -O2 -o paced src/bench/paced.c && ./paced PORT RATE CONNECTIONS SECONDS
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char REQ[] = "GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

typedef struct { int fd; int busy; size_t have; char buf[4096]; } conn_t;

static long long now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int cmp_ll(const void *a, const void *b) {
  long long x = *(const long long *)a, y = *(const long long *)b;
  return x < y ? -1 : x > y;
}

// whether buf holds one whole answer (head and Content-Length body)
static int whole(const char *buf, size_t n) {
  const char *end = memmem(buf, n, "\r\n\r\n", 4);
  if (!end) return 0;
  size_t head = (size_t)(end - buf) + 4;
  const char *cl = memmem(buf, head, "Content-Length:", 15);
  if (!cl) cl = memmem(buf, head, "content-length:", 15);
  size_t body = cl ? strtoul(cl + 15, NULL, 10) : 0;
  return n >= head + body;
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s PORT RATE CONNECTIONS SECONDS\n", argv[0]);
    return 2;
  }
  int port = atoi(argv[1]), conns = atoi(argv[3]);
  double rate = atof(argv[2]), secs = atof(argv[4]);
  if (port <= 0 || rate <= 0 || conns <= 0 || secs <= 0) {
    fprintf(stderr, "PORT, RATE, CONNECTIONS and SECONDS must be positive\n");
    return 2;
  }
  long long total = (long long)(rate * secs);
  long long *lag = calloc((size_t)total, sizeof *lag);
  conn_t *c = calloc((size_t)conns, sizeof *c);
  int ep = epoll_create1(0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  for (int i = 0; i < conns; i++) {
    c[i].fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(c[i].fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(c[i].fd, (struct sockaddr *)&a, sizeof a) != 0) {
      perror("connect");
      return 1;
    }
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (unsigned)i};
    epoll_ctl(ep, EPOLL_CTL_ADD, c[i].fd, &ev);
  }
  int *idle = malloc(sizeof(int) * (size_t)conns), nidle = conns;
  for (int i = 0; i < conns; i++) idle[i] = i;
  long long start = now_ns() + 1000000, interval = (long long)(1e9 / rate);
  long long sent = 0, answered = 0;
  struct epoll_event evs[64];
  while (answered < total) {
    long long now = now_ns();
    while (sent < total && start + sent * interval <= now && nidle > 0) {
      conn_t *k = &c[idle[--nidle]];
      lag[sent] = now - (start + sent * interval);
      if (send(k->fd, REQ, sizeof REQ - 1, MSG_NOSIGNAL) != (ssize_t)(sizeof REQ - 1)) {
        perror("send"); // a benchmark on loopback: a failed or short send ends it, as a closed connection does
        return 1;
      }
      k->busy = 1;
      sent++;
      now = now_ns();
    }
    struct timespec wait = {0, 0}, *timeout = &wait;
    if (sent < total && nidle > 0) {
      long long d = start + sent * interval - now_ns();
      if (d > 0) {
        wait.tv_sec = d / 1000000000LL;
        wait.tv_nsec = d % 1000000000LL;
      }
    } else {
      wait.tv_sec = 1; // every connection busy (or all sent): wait for answers
    }
    int n = epoll_pwait2(ep, evs, 64, timeout, NULL);
    if (n < 0 && errno != EINTR) {
      perror("epoll_pwait2");
      return 1;
    }
    for (int e = 0; e < n; e++) {
      conn_t *k = &c[evs[e].data.u32];
      ssize_t r = recv(k->fd, k->buf + k->have, sizeof k->buf - k->have, 0);
      if (r <= 0) {
        fprintf(stderr, "connection closed\n");
        return 1;
      }
      k->have += (size_t)r;
      if (k->busy && whole(k->buf, k->have)) {
        now_ns(); // an exact client reads the clock at each answer (its latency)
        k->busy = 0;
        k->have = 0;
        idle[nidle++] = (int)evs[e].data.u32;
        answered++;
      }
    }
  }
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  double user = u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6, sys = u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
  qsort(lag, (size_t)sent, sizeof *lag, cmp_ll);
  long long p99 = sent ? lag[(size_t)((sent - 1) * 0.99)] / 1000 : 0;
  // one line: responses, responses/s, cpu µs per response, send-lag p99 µs, user µs, system µs
  printf("%lld %.0f %.3f %lld %.3f %.3f\n", answered, answered / secs, (user + sys) / answered * 1e6, p99,
         user / answered * 1e6, sys / answered * 1e6);
  return 0;
}
