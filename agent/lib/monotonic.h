/* Clocks in microseconds: the one conversion from and to struct timespec. */
#ifndef MONOTONIC_H
#define MONOTONIC_H

#include <stdint.h>
#include <time.h>

/* CLOCK_MONOTONIC. */
uint64_t monotonic_us(void);
/* Any clock (CLOCK_THREAD_CPUTIME_ID, say). */
uint64_t monotonic_clock_us(clockid_t clock);
/* A time of that many microseconds, as pthread_cond_timedwait takes it. */
struct timespec monotonic_timespec(uint64_t us);

#endif
