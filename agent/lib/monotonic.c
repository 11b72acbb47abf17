/* Clocks in microseconds. */
#include "monotonic.h"

uint64_t monotonic_clock_us(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

uint64_t monotonic_us(void)
{
	return monotonic_clock_us(CLOCK_MONOTONIC);
}

struct timespec monotonic_timespec(uint64_t us)
{
	return (struct timespec){.tv_sec = (time_t)(us / 1000000u),
	                         .tv_nsec = (long)(us % 1000000u) * 1000};
}
