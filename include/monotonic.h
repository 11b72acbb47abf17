/* The monotonic clock, in microseconds. */
#ifndef MONOTONIC_H
#define MONOTONIC_H

#include <stdint.h>

uint64_t monotonic_us(void);

#endif
