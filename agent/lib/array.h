/* Growable arrays: one way to make room, doubling, with the size checked for overflow. */
#ifndef ARRAY_H
#define ARRAY_H

#include <stddef.h>

/* Makes room for count elements of size bytes in *v (capacity *cap, updated): the capacity
 * doubles from 16 until it is enough. Returns 0, or -1 when out of memory or count * size
 * would overflow (*v and *cap unchanged). */
int array_reserve(void **v, size_t *cap, size_t count, size_t size)
    __attribute__((warn_unused_result));

#endif
